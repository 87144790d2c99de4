/**
 * `npm run update`: install the latest release beside the running one and switch to it, or change nothing.
 *
 * Order: check the feed → back up the current version → download and verify the archive (signature, then
 * SHA-256) → unpack it as releases/<new> → install production dependencies → self-test the new folder →
 * switch `current` atomically. Every step before the switch only adds files; any failure removes what it
 * added and leaves `current` on the working version. The data directory is never read, written or moved,
 * and the running server is never restarted: the result says how to restart it.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, realpath, rename, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { readAppVersion } from './app-version.ts';
import { selfTestRelease, type InstallDependencies } from './dependency-install.ts';
import { lockInstall, pruneReleases, readInstallLayout, switchCurrent, type InstallLayout } from './install-layout.ts';
import { backupCurrentRelease, unpackArchive } from './app-archive.ts';
import { fetchLatestRelease, type Release } from './release-feed.ts';
import { isOfferedUpdate, parseVersion } from './semver.ts';
import { downloadVerifiedArchive } from './verified-download.ts';

export interface UpdateDeps {
  readonly installRoot: string;
  readonly feedUrl: string;
  /** The release public key shipped with the running version (scripts/release-public-key.pem). */
  readonly publicKeyPem: string;
  readonly installDependencies: InstallDependencies;
  /** Proves a new release folder works before the switch (default: its own `self-test`). */
  readonly checkRelease?: (releaseDir: string, version: string) => Promise<void>;
  /** Data directories in use; refused if one lies inside the app folder (it would be left behind). */
  readonly dataDirs?: readonly string[];
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly log?: (line: string) => void;
  readonly timeoutMs?: number;
}

export type UpdateResult =
  | { readonly kind: 'up-to-date'; readonly currentVersion: string; readonly latestVersion: string }
  | {
      readonly kind: 'updated';
      readonly from: string;
      readonly to: string;
      readonly releaseDir: string;
      readonly previousDir: string;
      readonly backup: string;
      readonly notes: string;
    };

/** The update did not happen; the installed version is unchanged. */
export class UpdateFailed extends Error {
  override readonly name = 'UpdateFailed';
}

export async function installUpdate(deps: UpdateDeps): Promise<UpdateResult> {
  const log = deps.log ?? (() => undefined);
  const layout = await readInstallLayout(deps.installRoot);
  await refuseDataInsideApp(layout, deps.dataDirs ?? []);
  const userAgent = `PhotoSync/${layout.currentVersion}`;
  const release = await fetchLatestRelease({
    url: deps.feedUrl,
    userAgent,
    timeoutMs: 30_000,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const to = release.version.text;
  if (!isOfferedUpdate(parseVersion(layout.currentVersion), release.version, release.prerelease)) {
    return { kind: 'up-to-date', currentVersion: layout.currentVersion, latestVersion: to };
  }

  const lock = await lockInstall(layout.root);
  const staging = await mkdtemp(join(layout.root, '.update-'));
  const undo: Array<() => Promise<void>> = [];
  try {
    log(`Updating PhotoSync ${layout.currentVersion} → ${to}`);
    const backup = await backupCurrentRelease(layout, (deps.now ?? (() => new Date()))());
    log(`1/5 Backed up ${layout.currentVersion} to ${backup}`);
    const archive = await downloadVerifiedArchive(release, staging, {
      publicKeyPem: deps.publicKeyPem,
      userAgent,
      timeoutMs: deps.timeoutMs ?? 10 * 60_000,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    log(`2/5 Downloaded and verified ${to} (Ed25519 signature, SHA-256 ${archive.sha256})`);
    const releaseDir = await unpackBeside(layout, release, archive.path, staging, undo);
    log(`3/5 Unpacked into ${releaseDir}`);
    await deps.installDependencies(releaseDir);
    await (deps.checkRelease ?? selfTestRelease)(releaseDir, to);
    log('4/5 Installed production dependencies; the new version starts');
    await switchCurrent(layout, releaseDir);
    undo.push(() => switchCurrent(layout, layout.currentDir));
    if ((await realpath(layout.currentLink)) !== releaseDir) throw new Error('`current` did not switch');
    log(`5/5 Switched ${relative(layout.root, layout.currentLink)} to ${to}`);
    undo.length = 0;
    const removed = await pruneReleases(layout, [releaseDir, layout.currentDir]).catch(() => []);
    if (removed.length > 0) log(`Removed older releases: ${removed.join(', ')}`);
    return {
      kind: 'updated',
      from: layout.currentVersion,
      to,
      releaseDir,
      previousDir: layout.currentDir,
      backup,
      notes: release.notes,
    };
  } catch (error) {
    for (const step of undo.reverse()) {
      await step().catch((undoError: unknown) => log(`rollback step failed: ${String(undoError)}`));
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new UpdateFailed(
      `update to ${to} failed: ${reason}\nRolled back: PhotoSync ${layout.currentVersion} is still installed, unchanged.`,
      { cause: error },
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
    await lock.release();
  }
}

/** Unpack into the staging folder, check it is the announced version, then move it to releases/<version>. */
async function unpackBeside(
  layout: InstallLayout,
  release: Release,
  archivePath: string,
  staging: string,
  undo: Array<() => Promise<void>>,
): Promise<string> {
  const version = release.version.text;
  const unpacked = join(staging, 'unpacked');
  await mkdir(unpacked);
  await unpackArchive(archivePath, unpacked);
  const entries = await readdir(unpacked);
  if (entries.length !== 1 || entries[0] !== `photosync-${version}`) {
    throw new Error(`the archive must hold one folder photosync-${version}/, found: ${entries.join(', ')}`);
  }
  const folder = join(unpacked, entries[0]);
  const found = readAppVersion(folder);
  if (found !== version) throw new Error(`the archive holds version ${found}, not ${version}`);

  const releaseDir = join(layout.releasesDir, version);
  if (existsSync(releaseDir)) {
    // Left by an earlier install of this version (e.g. before a manual rollback): set aside, restore on failure.
    const aside = join(staging, `replaced-${version}`);
    await rename(releaseDir, aside);
    undo.push(() => rename(aside, releaseDir));
  }
  await rename(folder, releaseDir);
  undo.push(() => rm(releaseDir, { recursive: true, force: true }));
  if (existsSync(join(layout.currentDir, '.env'))) {
    await copyFile(join(layout.currentDir, '.env'), join(releaseDir, '.env'));
  }
  return releaseDir;
}

/** Data inside the app folder would stay behind in the old version: refuse and say how to fix it. */
async function refuseDataInsideApp(layout: InstallLayout, dataDirs: readonly string[]): Promise<void> {
  for (const dir of [join(layout.currentDir, 'data'), ...dataDirs]) {
    if (!existsSync(dir)) continue;
    const real = await realpath(dir);
    if (real === layout.currentDir || real.startsWith(`${layout.currentDir}${sep}`)) {
      throw new UpdateFailed(
        `the data directory ${real} is inside the app folder, so the new version would not see it. ` +
          `Move it out (for example to ${join(layout.root, 'data')}), set PHOTOSYNC_DATA_DIR to the new place, ` +
          'restart the server, then run the update again. Nothing was changed.',
      );
    }
  }
}
