/**
 * The folder layout that installs and updates share ([Note: install layout]):
 *
 *   <root>/current -> releases/<version>   the version that runs (a relative symlink; a junction on Windows)
 *   <root>/releases/<version>/             one complete app folder per version (package.json, apps/, ...)
 *   <root>/backups/                        photosync-<version>-<time>.tar.gz of a replaced version
 *
 * Data never lives in here: it is in PHOTOSYNC_DATA_DIR (~/PhotoSync/data, /var/lib/photosync). Switching
 * versions is one rename of a new link over `current`, which is atomic: a start or a crash sees the old
 * version or the new one, never a mix.
 */
import { existsSync } from 'node:fs';
import { lstat, readFile, readdir, readlink, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { readAppVersion } from './app-version.ts';

export interface InstallLayout {
  readonly root: string;
  readonly currentLink: string;
  readonly releasesDir: string;
  readonly backupsDir: string;
  /** Real path of the release `current` points to. */
  readonly currentDir: string;
  readonly currentVersion: string;
}

/** Not an installed copy (a source checkout, or a damaged install). */
export class LayoutError extends Error {
  override readonly name = 'LayoutError';
}

/** The install root of an app folder that runs from `<root>/releases/<version>`, or null (a checkout). */
export async function installRootOf(appRoot: string): Promise<string | null> {
  const real = await realpath(appRoot);
  if (basename(dirname(real)) !== 'releases') return null;
  const root = dirname(dirname(real));
  const current = await realpath(join(root, 'current')).catch(() => null);
  return current === real ? root : null;
}

/** Read and check the layout under `root`. */
export async function readInstallLayout(root: string): Promise<InstallLayout> {
  const currentLink = join(root, 'current');
  const link = await lstat(currentLink).catch(() => null);
  if (!link?.isSymbolicLink()) {
    throw new LayoutError(
      `${root} is not an installed PhotoSync (no \`current\` link). A source checkout is updated with ` +
        '`git pull && npm install`; installs made by scripts/install.sh or install-server.sh use `npm run update`.',
    );
  }
  const releasesDir = join(root, 'releases');
  const currentDir = await realpath(currentLink).catch(async () => {
    throw new LayoutError(`${currentLink} points at ${await readlink(currentLink)}, which does not exist`);
  });
  if (dirname(currentDir) !== (await realpath(releasesDir))) {
    throw new LayoutError(`${currentLink} must point into ${releasesDir}, not ${currentDir}`);
  }
  return {
    root,
    currentLink,
    releasesDir,
    backupsDir: join(root, 'backups'),
    currentDir,
    currentVersion: readAppVersion(currentDir),
  };
}

/** Point `current` at `releaseDir` with one atomic rename (never a moment without a `current`). */
export async function switchCurrent(layout: InstallLayout, releaseDir: string): Promise<void> {
  const target = relative(layout.root, releaseDir);
  if (process.platform === 'win32') {
    // Junctions cannot be renamed over one another on Windows: replace, then verify.
    await rm(layout.currentLink, { force: true });
    await symlink(resolve(layout.root, target), layout.currentLink, 'junction');
    return;
  }
  const next = join(layout.root, `.current-${process.pid}-${Date.now()}`);
  await symlink(target, next);
  try {
    await rename(next, layout.currentLink);
  } catch (error) {
    await rm(next, { force: true });
    throw error;
  }
}

/** Remove releases other than the current and the previous one. Only folders under releases/ are touched. */
export async function pruneReleases(layout: InstallLayout, keep: readonly string[]): Promise<string[]> {
  const kept = new Set(keep.map((dir) => basename(dir)));
  const removed: string[] = [];
  for (const entry of await readdir(layout.releasesDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || kept.has(entry.name) || entry.name.startsWith('.')) continue;
    await rm(join(layout.releasesDir, entry.name), { recursive: true, force: true });
    removed.push(entry.name);
  }
  return removed;
}

/** How to restart the server so the switched version runs; updates never restart it themselves. */
export function restartCommands(platform: NodeJS.Platform = process.platform): string[] {
  if (existsSync('/etc/systemd/system/photosync.service')) return ['sudo systemctl restart photosync'];
  const byPlatform: Partial<Record<NodeJS.Platform, string[]>> = {
    linux: ['systemctl --user restart photosync', '(or stop and start `npm start` if you run it by hand)'],
    darwin: ['launchctl kickstart -k gui/$(id -u)/com.photosync.server'],
    win32: ['Stop-ScheduledTask PhotoSync; Start-ScheduledTask PhotoSync   (PowerShell)'],
  };
  return byPlatform[platform] ?? ['stop the server and start it again'];
}

/** One update at a time per install: `<root>/.update.lock` holds the updater's pid. */
export async function lockInstall(root: string): Promise<{ release(): Promise<void> }> {
  const path = join(root, '.update.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && processIsAlive(holder)) {
        throw new LayoutError(`another update is running (pid ${holder}); wait for it to finish`);
      }
      await rm(path, { force: true }); // left by an updater that died; take over
    }
  }
  throw new LayoutError(`cannot take ${path}`);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
