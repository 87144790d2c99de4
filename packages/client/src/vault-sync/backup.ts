/**
 * `backupToVault`: StealthCloud backup. scan → list the stored manifest ids → for each file its manifest id
 * (v2: keyed by the content hash, from the hash cache when it can; v1: name and size, as phones do) → skip
 * the files whose manifest exists → encrypt and upload the rest, chunks before manifest (backup-file.ts).
 * A file that fails (unreadable, changed while read, refused) goes into `failed` and the run goes on; what
 * makes every further upload pointless (signed out, quota or disk full, server gone, aborted) stops it. The
 * hash cache and upload journal are flushed on every way out.
 * Platform-neutral: files, hashes and the journal come through ports. Must never send plaintext, a file
 * name or a key to the server: only ciphertext chunks and sealed manifests leave this module.
 */
import { bytesToHex, loadSodium, manifestIdV1Hex, manifestIdV2Hex } from '@photosync/crypto';
import { ApiError } from '../api-error.ts';
import type { PhotoSyncClient } from '../client.ts';
import { ProgressMeter } from '../sync/progress.ts';
import { isAbortError, type RetryOptions } from '../sync/retry.ts';
import { runPool } from '../sync/task-pool.ts';
import type { BackupReport, FailedFile, HashCache, LocalFile, LocalFiles, ProgressListener } from '../sync/types.ts';
import { backupFile } from './backup-file.ts';
import { UploadSlots, type ChunkTally } from './chunk-uploader.ts';
import { listManifestIds } from './manifest-listing.ts';
import type { VaultKey } from './open-vault.ts';
import { memoryUploadJournal, type VaultUploadJournal } from './upload-journal.ts';
import { CannotReadFile, FileChangedDuringBackup } from './vault-errors.ts';

export interface VaultBackupOptions {
  readonly client: PhotoSyncClient;
  readonly vault: VaultKey;
  readonly files: LocalFiles;
  readonly hashCache: HashCache;
  readonly roots: readonly string[];
  /** Where large files' keys are kept for resuming; default in memory (resumes within this process only). */
  readonly journal?: VaultUploadJournal;
  /** Files encrypted and chunks uploaded at once (default 4). */
  readonly concurrency?: number;
  /** Backoff for the idempotent calls (chunk and manifest uploads, listings, `have`). */
  readonly retry?: Omit<RetryOptions, 'signal'>;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
}

export interface VaultBackupReport extends BackupReport {
  readonly mode: 'stealthcloud';
  readonly chunksUploaded: number;
  /** Ciphertext bytes of chunk uploads (part of bytesSent, which adds the manifests). */
  readonly chunkBytesSent: number;
  /** Chunks a resumed file did not send because the server had them. */
  readonly chunksAlreadyStored: number;
  /** Files that continued an upload an earlier run had started. */
  readonly filesResumed: number;
}

interface Pending {
  readonly file: LocalFile;
  sha256?: string;
}

export async function backupToVault(options: VaultBackupOptions): Promise<VaultBackupReport> {
  const { client, vault, files, hashCache, signal } = options;
  const concurrency = options.concurrency ?? 4;
  const retry: RetryOptions = { ...options.retry, ...(signal ? { signal } : {}) };
  const journal = options.journal ?? memoryUploadJournal();
  const meter = new ProgressMeter(options.onProgress);
  const failed: FailedFile[] = [];
  const tally: ChunkTally = { chunksUploaded: 0, chunkBytesSent: 0, chunksAlreadyStored: 0 };
  let manifestBytes = 0;
  let filesHashedFromCache = 0;

  /** The file's SHA-256, from the cache when it is there. */
  const hashOf = async (file: LocalFile): Promise<string> => {
    const cached = hashCache.get(file);
    if (cached !== undefined) {
      filesHashedFromCache++;
      return cached;
    }
    const sha256 = await sha256Of(files, file, signal);
    hashCache.set(file, sha256);
    return sha256;
  };
  const rehash = async (file: LocalFile): Promise<void> => {
    await sha256Of(files, file, signal).then(
      (sha256) => hashCache.set(file, sha256),
      () => undefined,
    );
  };
  const fail = (file: LocalFile, error: unknown): void => {
    if (isFatal(error)) throw error;
    failed.push({ path: file.path, error: messageOf(error) });
  };

  try {
    meter.phase('scan');
    const scanned: LocalFile[] = [];
    for await (const file of files.list(options.roots)) {
      signal?.throwIfAborted();
      scanned.push(file);
      meter.addFile(file.relativePath);
    }

    meter.phase('check', { filesTotal: scanned.length });
    const stored = new Set(await listManifestIds(client, retry));

    // v2 ids need the content hash; v1 ids only the name and size (a v1 upload hashes later, if it happens).
    const uncached = new Set(vault.format === 'v2' ? scanned.filter((file) => hashCache.get(file) === undefined) : []);
    const hashBytes = [...uncached].reduce((sum, file) => sum + file.size, 0);
    meter.phase('hash', { filesTotal: scanned.length, bytesTotal: hashBytes });
    const idOf: (string | undefined)[] = new Array<string | undefined>(scanned.length);
    const pendingOf: (Pending | undefined)[] = new Array<Pending | undefined>(scanned.length);
    await runPool(
      scanned,
      concurrency,
      async (file, index) => {
        try {
          if (vault.format === 'v1') {
            idOf[index] = await manifestIdV1Hex(file.relativePath, file.size);
            pendingOf[index] = { file };
          } else {
            const sha256 = await hashOf(file);
            idOf[index] = await manifestIdV2Hex(vault.masterKey, sha256);
            pendingOf[index] = { file, sha256 };
          }
        } catch (error) {
          fail(file, error);
        }
        if (uncached.has(file)) meter.addBytes(file.size);
        meter.addFile(file.relativePath);
      },
      signal,
    );

    // Skip what is stored; content (v2) or name+size (v1) met twice in this run is stored once.
    let filesAlreadyStored = 0;
    const planned = new Set<string>();
    const todo: Pending[] = [];
    scanned.forEach((file, index) => {
      const id = idOf[index];
      const pending = pendingOf[index];
      if (id === undefined || pending === undefined) return;
      if (stored.has(id)) filesAlreadyStored++;
      else if (!planned.has(id)) {
        planned.add(id);
        todo.push(pending);
      } else if (vault.format === 'v2') filesAlreadyStored++;
      else failed.push({ path: file.path, error: V1_NAME_CLASH });
    });

    meter.phase('upload', { filesTotal: todo.length, bytesTotal: todo.reduce((sum, p) => sum + p.file.size, 0) });
    const slots = new UploadSlots(concurrency);
    let filesUploaded = 0;
    let filesResumed = 0;
    const deps = {
      client,
      vault,
      files,
      journal,
      slots,
      retry,
      tally,
      onBytes: (bytes: number) => meter.addBytes(bytes),
      onManifestBytes: (bytes: number) => void (manifestBytes += bytes),
      ...(signal ? { signal } : {}),
    };
    await runPool(
      todo,
      concurrency,
      async ({ file, sha256 }) => {
        try {
          const result = await backupFile(deps, file, sha256 ?? (await hashOf(file)));
          filesUploaded++;
          if (result.resumed) filesResumed++;
        } catch (error) {
          // The cached hash was wrong (bytes changed, mtime kept) or the file is being written: learn the
          // current hash, so the next run does not trip over the same stale entry.
          if (error instanceof FileChangedDuringBackup) await rehash(file);
          fail(file, error);
        }
        meter.addFile(file.relativePath);
      },
      signal,
    );

    meter.phase('done', { filesTotal: scanned.length });
    return {
      mode: 'stealthcloud',
      filesScanned: scanned.length,
      filesHashedFromCache,
      filesAlreadyStored,
      filesUploaded,
      bytesSent: tally.chunkBytesSent + manifestBytes,
      failed,
      chunksUploaded: tally.chunksUploaded,
      chunkBytesSent: tally.chunkBytesSent,
      chunksAlreadyStored: tally.chunksAlreadyStored,
      filesResumed,
    };
  } finally {
    await Promise.allSettled([hashCache.flush(), journal.flush()]);
  }
}

const V1_NAME_CLASH =
  'another file with the same name and size is in this backup, and StealthCloud format v1 identifies a file ' +
  'by its name and size only: back up in format v2, or rename one of them';

/** Errors after which no other file can be stored either. */
function isFatal(error: unknown): boolean {
  if (isAbortError(error)) return true;
  if (error instanceof ApiError) return [401, 403, 413, 507].includes(error.status) || error.status === 402;
  // No HTTP answer even after the retries: the server is unreachable.
  return error instanceof TypeError;
}

async function sha256Of(files: LocalFiles, file: LocalFile, signal: AbortSignal | undefined): Promise<string> {
  try {
    if (files.sha256) return await files.sha256(file, signal);
    const hash = (await loadSodium()).createSha256();
    for await (const piece of files.read(file)) {
      signal?.throwIfAborted();
      hash.update(piece);
    }
    return bytesToHex(hash.digest());
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new CannotReadFile(error);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
