/**
 * `backupFolders`: the plain-library backup. scan → hash (cache first) → ask the server which hashes it has
 * (batches of 10,000) → upload only the rest, small files in one request and large ones through tus.
 * A file that cannot be read is reported in `failed` and the run goes on; what makes every further upload
 * pointless (signed out, disk full, server gone, aborted) stops the run. The hash cache is flushed on every
 * way out, so a failed or killed run never costs the next one more than the files it had not hashed yet.
 * Platform-neutral: files, hashes and resume state come through ports.
 */
import { bytesToHex, loadSodium } from '@photosync/crypto';
import { ApiError } from '../api-error.ts';
import type { PhotoSyncClient } from '../client.ts';
import { haveBatches, planBackup, type HashedFile, type PlannedUpload } from './backup-plan.ts';
import { countedBody } from './counted-body.ts';
import { ProgressMeter } from './progress.ts';
import { isAbortError, withRetry } from './retry.ts';
import { runPool } from './task-pool.ts';
import { uploadResumable } from './tus-upload.ts';
import type {
  BackupReport,
  FailedFile,
  HashCache,
  LocalFile,
  LocalFiles,
  ProgressListener,
  ResumeStore,
} from './types.ts';

/** The bulk check's answer (`POST /api/v2/library/have`). */
export interface HaveAnswer {
  readonly have: readonly { readonly sha256: string; readonly filename: string }[];
  readonly missing: readonly string[];
}

/** The client calls a backup makes (a `PhotoSyncClient` has them all). */
export type BackupClient = Pick<PhotoSyncClient, 'upload' | 'resumableUploads'> & {
  haveFiles(sha256s: string[]): Promise<HaveAnswer>;
};

export interface BackupOptions {
  readonly client: BackupClient;
  readonly files: LocalFiles;
  readonly hashCache: HashCache;
  readonly roots: readonly string[];
  readonly resumeStore: ResumeStore;
  /** Files hashed or uploaded at once (default 4). */
  readonly concurrency?: number;
  /** Files of at least this size go through tus (default 16 MiB). */
  readonly largeFileThreshold?: number;
  /** Bytes per tus PATCH: at most this much is sent twice after an interruption (default 8 MiB). */
  readonly chunkSize?: number;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
}

const MiB = 1024 * 1024;
/** New hashes between two background saves of the hash cache. */
const FLUSH_EVERY = 500;

export async function backupFolders(options: BackupOptions): Promise<BackupReport> {
  const { client, files, hashCache, signal } = options;
  const concurrency = options.concurrency ?? 4;
  const meter = new ProgressMeter(options.onProgress);
  const failed: FailedFile[] = [];
  let flushing = Promise.resolve();
  const flushInBackground = (): void => {
    flushing = flushing.then(() => hashCache.flush()).catch(() => undefined);
  };

  try {
    meter.phase('scan');
    const inventory: LocalFile[] = [];
    for await (const file of files.list(options.roots)) {
      signal?.throwIfAborted();
      inventory.push(file);
      meter.addFile(file.relativePath);
    }

    const uncached = inventory.filter((file) => hashCache.get(file) === undefined);
    meter.phase('hash', { filesTotal: inventory.length, bytesTotal: uncached.reduce((sum, f) => sum + f.size, 0) });
    const hashedAt: (HashedFile | undefined)[] = new Array<HashedFile | undefined>(inventory.length);
    let newHashes = 0;
    await runPool(
      inventory,
      concurrency,
      async (file, index) => {
        const cached = hashCache.get(file);
        if (cached !== undefined) {
          hashedAt[index] = { file, sha256: cached };
        } else {
          try {
            const sha256 = await sha256Of(files, file, signal);
            hashCache.set(file, sha256);
            hashedAt[index] = { file, sha256 };
            if (++newHashes % FLUSH_EVERY === 0) flushInBackground();
          } catch (error) {
            if (isAbortError(error)) throw error;
            failed.push({ path: file.path, error: `cannot read: ${messageOf(error)}` });
          }
          meter.addBytes(file.size);
        }
        meter.addFile(file.relativePath);
      },
      signal,
    );
    const hashed = hashedAt.filter((entry) => entry !== undefined);
    flushInBackground();

    const batches = haveBatches(hashed);
    meter.phase('check', { filesTotal: batches.reduce((sum, batch) => sum + batch.length, 0) });
    const stored = new Set<string>();
    for (const batch of batches) {
      const answer = await withRetry(() => client.haveFiles(batch), signal ? { signal } : {});
      for (const entry of answer.have) stored.add(entry.sha256.toLowerCase());
      meter.addFile(undefined, batch.length);
    }

    const plan = planBackup(hashed, stored, options.largeFileThreshold ?? 16 * MiB);
    meter.phase('upload', { filesTotal: plan.uploads.length, bytesTotal: plan.bytesToSend });
    let bytesSent = 0;
    let filesUploaded = 0;
    let copiesStored = 0;
    const onBytesSent = (bytes: number): void => {
      bytesSent += bytes;
      meter.addBytes(bytes);
    };
    await runPool(
      plan.uploads,
      concurrency,
      async (upload) => {
        const outcome = await uploadOne(options, upload, onBytesSent);
        if (outcome === 'uploaded') {
          filesUploaded += 1;
          copiesStored += upload.copies.length;
        } else {
          failed.push({ path: upload.file.path, error: outcome.error });
        }
        meter.addFile(upload.file.relativePath);
      },
      signal,
    );

    meter.phase('done', { filesTotal: inventory.length });
    return {
      mode: 'plain',
      filesScanned: inventory.length,
      filesHashedFromCache: inventory.length - uncached.length,
      filesAlreadyStored: plan.alreadyStored.length + copiesStored,
      filesUploaded,
      bytesSent,
      failed,
    };
  } finally {
    await flushing;
    await hashCache.flush();
  }
}

/**
 * Send one file. Uploads are idempotent by content (the server keys what it stores by SHA-256 and answers
 * "duplicate" for content it has), so a retry after a dropped connection is always safe.
 */
async function uploadOne(
  options: BackupOptions,
  upload: PlannedUpload,
  onBytesSent: (bytes: number) => void,
): Promise<'uploaded' | FailedFile> {
  const { client, file, sha256, signal } = { ...options, ...upload };
  let readError: unknown;
  const files: LocalFiles = {
    list: (roots) => options.files.list(roots),
    read: (target, start) => rememberReadError(options.files.read(target, start), (error) => (readError = error)),
  };
  try {
    if (upload.route === 'resumable') {
      await uploadResumable({
        target: client.resumableUploads(),
        files,
        file,
        sha256,
        resumeStore: options.resumeStore,
        chunkSize: options.chunkSize ?? 8 * MiB,
        onBytesSent,
        ...(signal ? { signal } : {}),
      });
    } else {
      await withRetry(
        () =>
          client.upload(countedBody(files.read(file), onBytesSent), {
            filename: file.relativePath.slice(file.relativePath.lastIndexOf('/') + 1),
            sha256,
            ...(file.mediaType ? { mediaType: file.mediaType } : {}),
            ...(signal ? { signal } : {}),
          }),
        { ...(signal ? { signal } : {}), isRetryable: (error) => readError === undefined && isRetryableUpload(error) },
      );
    }
    return 'uploaded';
  } catch (error) {
    if (readError !== undefined) return { path: file.path, error: `cannot read: ${messageOf(readError)}` };
    if (isFatal(error)) throw error;
    return { path: file.path, error: messageOf(error) };
  }
}

function isRetryableUpload(error: unknown): boolean {
  if (isAbortError(error)) return false;
  if (error instanceof ApiError)
    return error.status === 408 || error.status === 429 || (error.status >= 500 && error.status !== 507);
  return true;
}

/** Errors after which no other file can be uploaded either. */
function isFatal(error: unknown): boolean {
  if (isAbortError(error)) return true;
  if (error instanceof ApiError) return [401, 403, 507].includes(error.status);
  // No HTTP answer even after the retries: the server is unreachable.
  return error instanceof TypeError;
}

async function* rememberReadError(chunks: AsyncIterable<Uint8Array>, remember: (error: unknown) => void) {
  try {
    yield* chunks;
  } catch (error) {
    remember(error);
    throw error;
  }
}

async function sha256Of(files: LocalFiles, file: LocalFile, signal: AbortSignal | undefined): Promise<string> {
  if (files.sha256) return files.sha256(file, signal);
  const hash = (await loadSodium()).createSha256();
  for await (const chunk of files.read(file)) {
    signal?.throwIfAborted();
    hash.update(chunk);
  }
  return bytesToHex(hash.digest());
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
