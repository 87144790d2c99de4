/**
 * What a backup must send, decided from hashes alone: `planBackup(localInventory, storedHashes)`.
 * Content the server already has is never sent again, and content found in several local places is sent
 * once (the others are stored by that one upload). Small files go in one request, large ones through tus.
 * Pure: no I/O, so the rules are tested directly.
 */
import type { LocalFile } from './types.ts';

export interface HashedFile {
  readonly file: LocalFile;
  readonly sha256: string;
}

export type UploadRoute = 'single-request' | 'resumable';

export interface PlannedUpload extends HashedFile {
  readonly route: UploadRoute;
  /** Other local files with the same content: stored by this one upload. */
  readonly copies: readonly LocalFile[];
}

export interface BackupPlan {
  readonly uploads: readonly PlannedUpload[];
  /** Files whose content the server already holds. */
  readonly alreadyStored: readonly HashedFile[];
  readonly bytesToSend: number;
}

/** The bulk check takes at most this many hashes per request. */
export const HAVE_BATCH_SIZE = 10_000;

export function planBackup(
  inventory: readonly HashedFile[],
  stored: ReadonlySet<string>,
  largeFileThreshold: number,
): BackupPlan {
  const alreadyStored: HashedFile[] = [];
  const bySha = new Map<string, { first: HashedFile; copies: LocalFile[] }>();
  for (const entry of inventory) {
    if (stored.has(entry.sha256)) {
      alreadyStored.push(entry);
      continue;
    }
    const group = bySha.get(entry.sha256);
    if (group) group.copies.push(entry.file);
    else bySha.set(entry.sha256, { first: entry, copies: [] });
  }
  const uploads = [...bySha.values()].map(({ first, copies }) => ({
    ...first,
    route: first.file.size >= largeFileThreshold ? ('resumable' as const) : ('single-request' as const),
    copies,
  }));
  return { uploads, alreadyStored, bytesToSend: uploads.reduce((sum, upload) => sum + upload.file.size, 0) };
}

/** Distinct hashes in first-seen order, cut into batches the bulk check accepts. */
export function haveBatches(inventory: readonly HashedFile[], batchSize = HAVE_BATCH_SIZE): string[][] {
  const unique = [...new Set(inventory.map((entry) => entry.sha256))];
  const batches: string[][] = [];
  for (let start = 0; start < unique.length; start += batchSize) batches.push(unique.slice(start, start + batchSize));
  return batches;
}
