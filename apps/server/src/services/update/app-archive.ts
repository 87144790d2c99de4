/**
 * App folders as gzip'd tar archives: unpacking a verified release (one top-level folder,
 * `photosync-<version>/`) and packing the running version into a backup before an update changes anything.
 * Both use the system `tar` (GNU tar on Linux, bsdtar on macOS and Windows 10+), so no archive code of our
 * own sits between a download and the disk; unpacking only ever happens after verification.
 *
 * Backups (`<root>/backups/photosync-<version>-<time>.tar.gz`) hold every file of the app folder except
 * node_modules (reinstalled with `npm ci`) and a top-level data folder: data is never copied or moved by updates.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { runCommand } from './external-command.ts';
import type { InstallLayout } from './install-layout.ts';

/** Unpack a verified archive into `targetDir` (which must exist and be empty). */
export async function unpackArchive(archivePath: string, targetDir: string): Promise<void> {
  await runCommand('tar', ['-xzf', archivePath, '-C', targetDir, '--no-same-owner'], { cwd: targetDir });
}

/** The entry names inside an archive. */
export async function listArchive(archivePath: string): Promise<string[]> {
  const listing = await runCommand('tar', ['-tzf', archivePath], { cwd: dirname(archivePath) });
  return listing.split('\n').filter(Boolean);
}

function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-');
}

/** Back up the current release (atomically: a `.partial` file renamed when complete); returns its path. */
export async function backupCurrentRelease(layout: InstallLayout, now: Date): Promise<string> {
  await mkdir(layout.backupsDir, { recursive: true });
  const target = join(layout.backupsDir, `photosync-${layout.currentVersion}-${stamp(now)}.tar.gz`);
  const partial = `${target}.partial`;
  const parent = dirname(layout.currentDir);
  const folder = basename(layout.currentDir);
  try {
    await runCommand(
      'tar',
      ['-czf', partial, '--exclude=node_modules', `--exclude=${folder}/data`, '-C', parent, folder],
      { cwd: parent },
    );
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return target;
}
