/**
 * `restoreFromVault`: StealthCloud restore. List the manifests, open each (v1 or v2 envelope, after the vault),
 * keep those in the date range, then per file: skip it when an identical file is already there, else download
 * its chunks (a few ahead, retried), decrypt and verify them with the crypto package (chunk ids, MACs, order,
 * count, whole-file SHA-256) into a temporary file, and commit it under its name — or `name (1)` when a
 * different file has the name. A file that fails verification is discarded whole: no plaintext of it is
 * committed. Folders are kept: `target(folder)` gives the place for each relative folder.
 * Platform-neutral (the folder is the RestoreTarget port; Node: `nodeRestoreTarget`).
 */
import { decryptFile } from '@photosync/crypto';
import type { ManifestV1, ManifestV2 } from '@photosync/crypto';
import { ApiError } from '../api-error.ts';
import type { PhotoSyncClient } from '../client.ts';
import { ProgressMeter } from '../sync/progress.ts';
import { isAbortError, withRetry, type RetryOptions } from '../sync/retry.ts';
import { runPool } from '../sync/task-pool.ts';
import type { FailedFile, ProgressListener, RestoreReport, RestoreTarget } from '../sync/types.ts';
import { fetchManifest, listManifestIds } from './manifest-listing.ts';
import type { VaultKey } from './open-vault.ts';
import { inDateRange, recordedTimeOf, restorePathOf, withSuffix } from './restore-names.ts';

/** The restore folder, per relative sub-folder ('' = the folder itself). Return one target for a flat restore. */
export type RestoreFolders = (relativeFolder: string) => RestoreTarget;

export interface VaultRestoreOptions {
  readonly client: PhotoSyncClient;
  readonly vault: VaultKey;
  readonly target: RestoreFolders;
  /** Only files whose recorded date (creation time, else capture time) is at or after this. */
  readonly from?: Date;
  /** Only files whose recorded date is at or before this. */
  readonly to?: Date;
  /** Files restored at once (default 4); each reads up to PREFETCH_CHUNKS chunks ahead. */
  readonly concurrency?: number;
  readonly retry?: Omit<RetryOptions, 'signal'>;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
}

interface Opened {
  readonly manifestId: string;
  readonly manifest: ManifestV1 | ManifestV2;
  readonly path: string;
}

type Outcome = 'restored' | 'renamed' | 'identical';

/** Ciphertext chunks fetched ahead of decryption, per file. */
export const PREFETCH_CHUNKS = 3;
/** Suffixes tried before giving up on a free name. */
const MAX_SUFFIX = 1000;

export async function restoreFromVault(options: VaultRestoreOptions): Promise<RestoreReport> {
  const { client, vault, signal } = options;
  const concurrency = options.concurrency ?? 4;
  const retry: RetryOptions = { ...options.retry, ...(signal ? { signal } : {}) };
  const meter = new ProgressMeter(options.onProgress);
  const failed: FailedFile[] = [];
  const fail = (path: string, error: unknown): void => {
    if (isFatal(error)) throw error;
    failed.push({ path, error: error instanceof Error ? error.message : String(error) });
  };

  const ids = await listManifestIds(client, retry);
  meter.phase('check', { filesTotal: ids.length });
  const opened: Opened[] = [];
  await runPool(
    ids,
    concurrency * 2,
    async (manifestId) => {
      try {
        const manifest = await fetchManifest(client, vault, manifestId, retry);
        if (inDateRange(recordedTimeOf(manifest), options.from, options.to)) {
          opened.push({ manifestId, manifest, path: restorePathOf(manifest.filename, manifestId) });
        }
      } catch (error) {
        fail(`manifest ${manifestId}`, error);
      }
      meter.addFile();
    },
    signal,
  );
  opened.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.manifestId < b.manifestId ? -1 : 1));

  const bytesTotal = opened.reduce((sum, file) => sum + file.manifest.originalSize, 0);
  meter.phase('download', { filesTotal: opened.length, bytesTotal });
  const counts = { restored: 0, renamed: 0, identical: 0 };
  let bytesWritten = 0;
  await runPool(
    opened,
    concurrency,
    async (file) => {
      try {
        const outcome = await restoreOne(options, retry, file, (bytes) => {
          bytesWritten += bytes;
          meter.addBytes(bytes);
        });
        counts[outcome]++;
      } catch (error) {
        fail(file.path, error);
      }
      meter.addFile(file.path);
    },
    signal,
  );
  meter.phase('done', { filesTotal: opened.length });
  return {
    filesRestored: counts.restored + counts.renamed,
    filesSkippedIdentical: counts.identical,
    filesRenamed: counts.renamed,
    bytesWritten,
    failed,
  };
}

async function restoreOne(
  options: VaultRestoreOptions,
  retry: RetryOptions,
  file: Opened,
  onBytes: (bytes: number) => void,
): Promise<Outcome> {
  const slash = file.path.lastIndexOf('/');
  const target = options.target(slash < 0 ? '' : file.path.slice(0, slash));
  const name = file.path.slice(slash + 1);
  const { manifest } = file;

  // The first free name, unless the content is already there under the name or a suffixed one.
  let n = 0;
  for (; n <= MAX_SUFFIX; n++) {
    const state = await localState(target, withSuffix(name, n), manifest);
    if (state === 'identical') return 'identical';
    if (state === 'free') break;
  }

  const write = await target.create();
  try {
    const ciphertexts = prefetchChunks(options.client, manifest.chunkIds, retry, options.signal);
    for await (const plaintext of decryptFile(options.vault.masterKey, manifest, ciphertexts)) {
      await write.write(plaintext);
      onBytes(plaintext.byteLength);
    }
    for (; n <= MAX_SUFFIX; n++) {
      if (await write.commit(withSuffix(name, n))) return n === 0 ? 'restored' : 'renamed';
      // Someone created the name meanwhile: identical content is as good as ours.
      if ((await localState(target, withSuffix(name, n), manifest)) === 'identical') {
        await write.discard();
        return 'identical';
      }
    }
    throw new Error(`no free name for ${file.path}`);
  } catch (error) {
    await write.discard();
    throw error;
  }
}

async function localState(target: RestoreTarget, name: string, manifest: ManifestV1 | ManifestV2) {
  const size = await target.sizeOf(name);
  if (size === undefined) return 'free';
  if (size === manifest.originalSize && (await target.sha256Of(name)) === manifest.fileHash) return 'identical';
  return 'taken';
}

/** The file's ciphertext chunks in order, fetched up to PREFETCH_CHUNKS ahead, each fetch retried. */
async function* prefetchChunks(
  client: PhotoSyncClient,
  chunkIds: readonly string[],
  retry: RetryOptions,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array, void, undefined> {
  const queue: Promise<Uint8Array>[] = [];
  let next = 0;
  const fetchNext = () => {
    const chunkId = chunkIds[next++] as string;
    const fetched = withRetry(() => client.vault.getChunk(chunkId, signal), retry);
    fetched.catch(() => undefined); // awaited in order below; never unhandled if decryption stops early
    queue.push(fetched);
  };
  while (next < chunkIds.length && queue.length < PREFETCH_CHUNKS) fetchNext();
  for (let fetched = queue.shift(); fetched; fetched = queue.shift()) {
    if (next < chunkIds.length) fetchNext();
    yield await fetched;
  }
}

/** Errors after which no other file can be restored either (network errors were retried already). */
function isFatal(error: unknown): boolean {
  if (isAbortError(error)) return true;
  if (error instanceof ApiError) return error.status === 401 || error.status === 403;
  return error instanceof TypeError;
}
