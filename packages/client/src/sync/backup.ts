/**
 * `backupFolders`: the plain-library backup. Scan, then hash (cache first), ask the server which hashes it
 * has (in batches of up to 10,000) and upload only the rest — small files in one request, large ones
 * through tus — all three at once (./backup-pipeline.ts, [Note: backup pipeline]).
 * A file that cannot be read is reported in `failed` and the run goes on; what makes every further upload
 * pointless (signed out, disk full, server gone, aborted) stops the run. The hash cache is flushed on every
 * way out, so a failed or killed run never costs the next one more than the files it had not hashed yet.
 * Platform-neutral: files, hashes, request bodies and resume state come through ports.
 */
import type { PhotoSyncClient } from '../client.ts';
import { BackupPlanner } from './backup-plan.ts';
import { BackupPipeline } from './backup-pipeline.ts';
import { ProgressMeter } from './progress.ts';
import type { TusTarget } from './tus-upload.ts';
import type { BackupReport, HashCache, LocalFile, LocalFiles, ProgressListener, ResumeStore } from './types.ts';

/** The bulk check's answer (`POST /api/v2/library/have`). */
export interface HaveAnswer {
  readonly have: readonly { readonly sha256: string; readonly filename: string }[];
  readonly missing: readonly string[];
}

/** The client calls a backup makes (a `PhotoSyncClient` has them all). */
export interface BackupClient {
  upload: PhotoSyncClient['upload'];
  resumableUploads(): TusTarget;
  haveFiles(sha256s: string[]): Promise<HaveAnswer>;
}

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
/** New hashes, or newly hashed bytes, between two background saves of the hash cache. */
const FLUSH_EVERY_FILES = 500;
const FLUSH_EVERY_BYTES = 1024 * MiB;

/**
 * Progress: a `scan` phase (files found), then one `upload` phase for the pipelined rest: `filesDone`
 * counts files settled (already stored, uploaded or failed), `bytesDone` the bytes sent, and `bytesTotal`
 * what may still need sending — every file at first, less as hashes show copies and the server's answers
 * show what it has.
 */
export async function backupFolders(options: BackupOptions): Promise<BackupReport> {
  const { client, files, hashCache, signal } = options;
  const meter = new ProgressMeter(options.onProgress);
  let flushing = Promise.resolve();
  let hashedSinceFlush = { files: 0, bytes: 0 };
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

    meter.phase('upload', { filesTotal: inventory.length, bytesTotal: inventory.reduce((sum, f) => sum + f.size, 0) });
    const plan = new BackupPlanner(options.largeFileThreshold ?? 16 * MiB, {
      settled: (count, file) => meter.addFile(file?.relativePath, count),
      bytesToSendChanged: (delta) => meter.changeTotals({ bytes: delta }),
    });
    let bytesSent = 0;
    const pipeline = new BackupPipeline(
      {
        client,
        files,
        hashCache,
        resumeStore: options.resumeStore,
        concurrency: options.concurrency ?? 4,
        chunkSize: options.chunkSize ?? 8 * MiB,
        onBytesSent: (bytes) => {
          bytesSent += bytes;
          meter.addBytes(bytes);
        },
        onHashed: (file) => {
          hashedSinceFlush = { files: hashedSinceFlush.files + 1, bytes: hashedSinceFlush.bytes + file.size };
          if (hashedSinceFlush.files < FLUSH_EVERY_FILES && hashedSinceFlush.bytes < FLUSH_EVERY_BYTES) return;
          hashedSinceFlush = { files: 0, bytes: 0 };
          flushInBackground();
        },
        // Saved before the uploads of the last files finish: a run killed during them re-hashes nothing.
        onAllHashed: flushInBackground,
        ...(signal ? { signal } : {}),
      },
      plan,
    );
    const { filesHashedFromCache } = await pipeline.run(inventory);

    meter.phase('done', { filesTotal: inventory.length });
    return {
      mode: 'plain',
      filesScanned: inventory.length,
      filesHashedFromCache,
      filesAlreadyStored: plan.filesAlreadyStored,
      filesUploaded: plan.filesUploaded,
      bytesSent,
      failed: plan.failed,
    };
  } finally {
    await flushing;
    await hashCache.flush();
  }
}
