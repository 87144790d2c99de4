/**
 * `restoreLibrary`: download the library (or the files stored in a date range) into a folder. Every byte is
 * hashed while it streams and checked against the server's ETag (the SHA-256) before the file appears.
 * A file already present with the same content is skipped (asked with If-None-Match, so it is not even
 * downloaded); a different local file is never overwritten: the download is written as `name (1).ext`.
 * Platform-neutral: the folder is a `RestoreTarget` port (Node: `nodeRestoreTarget(dir)`).
 */
import type { FileEntry } from '@photosync/protocol';
import { ApiError } from '../api-error.ts';
import type { PhotoSyncClient } from '../client.ts';
import { ProgressMeter } from './progress.ts';
import { isAbortError, withRetry } from './retry.ts';
import { runPool } from './task-pool.ts';
import type { FailedFile, ProgressListener, RestoreReport, RestoreTarget } from './types.ts';

export type RestoreClient = Pick<PhotoSyncClient, 'listFiles' | 'download'>;

export interface RestoreOptions {
  readonly client: RestoreClient;
  readonly target: RestoreTarget;
  /** Only files the server stored at or after this time (`created_at`). */
  readonly from?: Date;
  /** Only files the server stored before this time. */
  readonly to?: Date;
  /** Only these stored names. */
  readonly files?: readonly string[];
  readonly concurrency?: number;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
}

const PAGE = 1000;
/** Suffixes tried before giving up on finding a free name. */
const MAX_SUFFIX = 1000;

/** `photo.jpg` → `photo (n).jpg`; the server names clashes the same way. */
export function suffixedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

/** The library entries a restore covers: stored in [from, to) and, when given, named in `names`. */
export function selectEntries(
  entries: readonly FileEntry[],
  range: { from?: Date; to?: Date; names?: readonly string[] },
): FileEntry[] {
  const names = range.names ? new Set(range.names) : undefined;
  return entries.filter((entry) => {
    const at = Date.parse(entry.created_at);
    if (range.from && !(at >= range.from.getTime())) return false;
    if (range.to && !(at < range.to.getTime())) return false;
    return !names || names.has(entry.filename);
  });
}

type Outcome = 'restored' | 'renamed' | 'identical';

export async function restoreLibrary(options: RestoreOptions): Promise<RestoreReport> {
  const { client, signal } = options;
  const meter = new ProgressMeter(options.onProgress);
  meter.phase('scan');
  const all: FileEntry[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await withRetry(() => client.listFiles({ offset, limit: PAGE }), signal ? { signal } : {});
    all.push(...page.files);
    if (page.files.length < PAGE || all.length >= page.total) break;
  }
  const entries = selectEntries(all, {
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
    ...(options.files ? { names: options.files } : {}),
  });

  meter.phase('download', { filesTotal: entries.length, bytesTotal: entries.reduce((sum, e) => sum + e.size, 0) });
  const counts = { restored: 0, renamed: 0, identical: 0 };
  let bytesWritten = 0;
  const failed: FailedFile[] = [];
  await runPool(
    entries,
    options.concurrency ?? 4,
    async (entry) => {
      try {
        const outcome = await withRetry(
          () =>
            restoreOne(options, entry, (bytes) => {
              bytesWritten += bytes;
              meter.addBytes(bytes);
            }),
          signal ? { signal } : {},
        );
        counts[outcome] += 1;
      } catch (error) {
        if (isFatal(error)) throw error;
        failed.push({ path: entry.filename, error: error instanceof Error ? error.message : String(error) });
      }
      meter.addFile(entry.filename);
    },
    signal,
  );
  meter.phase('done', { filesTotal: entries.length });
  return {
    filesRestored: counts.restored + counts.renamed,
    filesSkippedIdentical: counts.identical,
    filesRenamed: counts.renamed,
    bytesWritten,
    failed,
  };
}

async function restoreOne(options: RestoreOptions, entry: FileEntry, onBytes: (n: number) => void): Promise<Outcome> {
  const { client, target, signal } = options;
  const name = entry.filename;
  if (name === '.' || name === '..' || /[/\\\0]/.test(name))
    throw new Error(`refusing unsafe name ${JSON.stringify(name)}`);
  const localSize = await target.sizeOf(name);
  const localSha = localSize === entry.size ? await target.sha256Of(name) : undefined;
  const response = await client.download(name, {
    ...(localSha ? { ifNoneMatch: `"${localSha}"` } : {}),
    ...(signal ? { signal } : {}),
  });
  if (response.status === 304) return 'identical';
  const expected = /^(?:W\/)?"?([0-9a-fA-F]{64})"?$/.exec(response.headers.get('etag') ?? '')?.[1]?.toLowerCase();
  if (!expected || !response.body) {
    await response.body?.cancel();
    throw new Error('the server sent no SHA-256 (ETag) to verify the download against');
  }
  // An earlier restore may already have written this content under a suffixed name.
  for (let n = 1; n <= MAX_SUFFIX; n += 1) {
    const size = await target.sizeOf(suffixedName(name, n));
    if (size === undefined) break;
    if (size === entry.size && (await target.sha256Of(suffixedName(name, n))) === expected) {
      await response.body.cancel();
      return 'identical';
    }
  }

  const write = await target.create();
  try {
    // Loaded on use: a backup never needs the crypto library.
    const { bytesToHex, loadSodium } = await import('@photosync/crypto');
    const hash = (await loadSodium()).createSha256();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      await write.write(chunk);
      onBytes(chunk.byteLength);
    }
    const actual = bytesToHex(hash.digest());
    if (actual !== expected)
      throw new Error(`downloaded bytes do not match the stored SHA-256 (${actual} ≠ ${expected})`);
    if (await write.commit(name)) return 'restored';
    for (let n = 1; n <= MAX_SUFFIX; n += 1) if (await write.commit(suffixedName(name, n))) return 'renamed';
    throw new Error(`no free name for ${name}`);
  } catch (error) {
    await write.discard();
    throw error;
  }
}

/** Errors after which no other file can be restored either (a retry already happened for network errors). */
function isFatal(error: unknown): boolean {
  if (isAbortError(error)) return true;
  if (error instanceof ApiError) return error.status === 401 || error.status === 403;
  return error instanceof TypeError;
}
