/**
 * `dedupeFolder`: the seed's "Clean Duplicates" for a folder. Finds photos/videos with identical content
 * (SHA-256), keeps the oldest copy of each (see sync/dedupe-plan.ts) and — only with `apply` — moves the
 * others into a recoverable trash, `{trash}/<timestamp>/<relative path>` (default trash
 * `{dir}/.photosync-trash`, which scans skip). It touches nothing but those duplicates: a file that changed
 * since it was hashed is left alone, and a move never replaces anything in the trash.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { duplicatedHashes, planDedupe, type DedupeCandidate } from '../sync/dedupe-plan.ts';
import type { FailedFile, HashCache, LocalFile, LocalFiles } from '../sync/types.ts';
import { captureTimeMs } from './capture-time.ts';
import { sha256OfFile } from './file-hash.ts';
import { nodeLocalFiles } from './local-files.ts';

export interface DedupeOptions {
  readonly dir: string;
  /** Move the duplicates (default: only report what would be moved). */
  readonly apply?: boolean;
  /** Trash folder (default `{dir}/.photosync-trash`); each run moves into a new `<timestamp>` folder in it. */
  readonly trashDir?: string;
  readonly files?: LocalFiles;
  readonly hashCache?: HashCache;
  /** The run's time, naming its trash folder. */
  readonly now?: Date;
}

export interface DedupeGroupReport {
  readonly sha256: string;
  readonly size: number;
  /** Absolute path of the copy kept. */
  readonly keep: string;
  readonly duplicates: readonly string[];
}

export interface DedupeReport {
  readonly applied: boolean;
  readonly filesScanned: number;
  readonly groups: readonly DedupeGroupReport[];
  /** Bytes the duplicates take: freed with `apply`, would be freed otherwise. */
  readonly bytesFreed: number;
  /** Files moved to the trash (0 in a dry run). */
  readonly moved: number;
  /** Where this run moved files (absent in a dry run). */
  readonly trashDir?: string;
  readonly failed: readonly FailedFile[];
}

export async function dedupeFolder(options: DedupeOptions): Promise<DedupeReport> {
  const dir = resolve(options.dir);
  const trashRoot = resolve(options.trashDir ?? join(dir, '.photosync-trash'));
  const files = options.files ?? nodeLocalFiles({ exclude: [trashRoot] });
  const failed: FailedFile[] = [];
  const hashed: { file: LocalFile; sha256: string }[] = [];
  try {
    for await (const file of files.list([dir])) {
      try {
        let sha256 = options.hashCache?.get(file);
        if (sha256 === undefined) {
          sha256 = files.sha256 ? await files.sha256(file) : await sha256OfFile(file.path);
          options.hashCache?.set(file, sha256);
        }
        hashed.push({ file, sha256 });
      } catch (error) {
        failed.push({ path: file.path, error: `cannot read: ${messageOf(error)}` });
      }
    }
  } finally {
    await options.hashCache?.flush();
  }

  const duplicated = duplicatedHashes(hashed);
  const candidates: DedupeCandidate[] = [];
  for (const { file, sha256 } of hashed) {
    if (!duplicated.has(sha256)) continue;
    const capturedAtMs = await captureTimeMs(file.path);
    candidates.push({
      path: file.path,
      relativePath: file.relativePath,
      size: file.size,
      sha256,
      mtimeMs: file.mtimeMs,
      ...(capturedAtMs !== undefined ? { capturedAtMs } : {}),
    });
  }
  const plan = planDedupe(candidates);
  const report = {
    filesScanned: hashed.length,
    groups: plan.groups.map((group) => ({
      sha256: group.sha256,
      size: group.size,
      keep: group.keep.path,
      duplicates: group.duplicates.map((duplicate) => duplicate.path),
    })),
  };
  if (!options.apply) return { applied: false, ...report, bytesFreed: plan.bytesFreed, moved: 0, failed };

  const runDir = join(trashRoot, (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-'));
  const scanned = new Map(hashed.map(({ file }) => [file.path, file]));
  let moved = 0;
  let bytesFreed = 0;
  for (const group of plan.groups) {
    for (const duplicate of group.duplicates) {
      const file = scanned.get(duplicate.path);
      try {
        const now = await stat(duplicate.path);
        if (!file || now.size !== file.size || now.mtimeMs !== file.mtimeMs)
          throw new Error('changed since it was hashed; left in place');
        await moveNoClobber(duplicate.path, join(runDir, duplicate.relativePath));
        moved += 1;
        bytesFreed += duplicate.size;
      } catch (error) {
        failed.push({ path: duplicate.path, error: messageOf(error) });
      }
    }
  }
  return { applied: true, ...report, bytesFreed, moved, trashDir: runDir, failed };
}

/** Move `from` to `to`, never replacing an existing `to`; across file systems, copy then delete. */
async function moveNoClobber(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  const taken = await stat(to).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`${to} already exists in the trash`);
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to, constants.COPYFILE_EXCL);
    await rm(from);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
