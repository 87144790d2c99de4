/**
 * Real releases for update tests: a copy of this checkout with a chosen version and a test release key,
 * built and signed by the real release script (scripts/release.ts), and an installed copy in the layout
 * the installers create (`current -> releases/<version>`), with dependencies linked (link-dependencies.ts).
 */
import { createHash } from 'node:crypto';
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { buildRelease, releaseFiles } from '../../../../../scripts/release.ts';
import { unpackArchive } from '../../../src/services/update/app-archive.ts';
import { releaseAssetNames } from '../../../src/services/update/release-feed.ts';
import { generateReleaseKeyPair } from '../../../src/services/update/release-signature.ts';
import { linkDependencies, REPO_ROOT } from './link-dependencies.ts';
import type { PublishedRelease } from './release-server.ts';

export interface TestKeys {
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
}

export const testKeys = (): TestKeys => generateReleaseKeyPair();

/** Copy this checkout's release files into `dir`, with `version` and the test public key. */
export async function makeSourceTree(dir: string, version: string, keys: TestKeys): Promise<string> {
  for (const file of await releaseFiles(REPO_ROOT)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await copyFile(join(REPO_ROOT, file), join(dir, file));
    await chmod(join(dir, file), (await lstat(join(REPO_ROOT, file))).mode & 0o777);
  }
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);
  await writeFile(join(dir, 'scripts', 'release-public-key.pem'), keys.publicKeyPem);
  return dir;
}

export interface BuiltTestRelease {
  readonly version: string;
  readonly archivePath: string;
  /** Asset name → bytes, as a release page would carry them. */
  readonly assets: Record<string, Buffer>;
}

/** Build and sign a release of `version` with the real release script. */
export async function buildTestRelease(workDir: string, version: string, keys: TestKeys): Promise<BuiltTestRelease> {
  const source = await makeSourceTree(join(workDir, `source-${version}`), version, keys);
  const built = await buildRelease({
    sourceDir: source,
    outDir: join(workDir, `out-${version}`),
    privateKeyPem: keys.privateKeyPem,
  });
  const names = releaseAssetNames(version);
  return {
    version,
    archivePath: built.archive,
    assets: {
      [names.archive]: await readFile(built.archive),
      [names.checksum]: await readFile(built.checksum),
      [names.signature]: await readFile(built.signature),
    },
  };
}

/** The feed entry for a built release, optionally with assets replaced or removed (undefined = removed). */
export function published(
  release: BuiltTestRelease,
  changes: Record<string, Buffer | undefined> = {},
): PublishedRelease {
  const assets: Record<string, Buffer> = {};
  for (const [name, bytes] of Object.entries({ ...release.assets, ...changes })) if (bytes) assets[name] = bytes;
  return { version: release.version, notes: `What is new in ${release.version}`, assets };
}

/** Install a built release under `root` as the installers do: releases/<v>, dependencies, `current`. */
export async function installFixture(root: string, release: BuiltTestRelease): Promise<string> {
  const unpacked = join(root, 'releases');
  await mkdir(unpacked, { recursive: true });
  await unpackArchive(release.archivePath, unpacked);
  const dir = join(unpacked, release.version);
  await rename(join(unpacked, `photosync-${release.version}`), dir);
  await linkDependencies(dir);
  await symlink(join('releases', release.version), join(root, 'current'));
  return dir;
}

/** Every file and link under `dir` (except `skip` folder names) → its SHA-256 or link target. */
export async function hashTree(dir: string, skip: readonly string[] = []): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      const key = relative(dir, path);
      if (skip.includes(entry.name)) continue;
      if (entry.isSymbolicLink()) result[key] = `link:${await readlink(path)}`;
      else if (entry.isDirectory()) {
        result[`${key}/`] = 'dir';
        await walk(path);
      } else
        result[key] = createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
    }
  };
  await walk(dir);
  return result;
}
