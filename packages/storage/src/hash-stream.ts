/**
 * Copy a byte stream into an open file while computing its SHA-256 and size, in one pass; or hash a file
 * that is already on disk. Memory stays bounded (one batch of ~1 MiB) whatever the length.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { BlobTooLargeError } from './blob-store.ts';

export interface HashedCopy {
  readonly size: number;
  readonly sha256: string;
}

/** Writes go out in ~256 KiB batches: larger ones cost more kernel time per byte (measured by the bench). */
const WRITE_BATCH_BYTES = 256 * 1024;
const READ_BUFFER_BYTES = 1024 * 1024;

/** Write every chunk of `source` to `file`; refuse with BlobTooLargeError past `maxBytes`. */
export async function hashStream(
  source: AsyncIterable<Uint8Array>,
  file: FileHandle,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<HashedCopy> {
  const hash = createHash('sha256');
  let size = 0;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  const flush = async (): Promise<void> => {
    let pending = batch;
    batch = [];
    batchBytes = 0;
    while (pending.length > 0) {
      const { bytesWritten } = await file.writev(pending);
      pending = dropWritten(pending, bytesWritten);
    }
  };
  for await (const chunk of source) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new BlobTooLargeError(maxBytes);
    hash.update(chunk);
    batch.push(chunk);
    batchBytes += chunk.byteLength;
    if (batchBytes >= WRITE_BATCH_BYTES) await flush();
  }
  await flush();
  return { size, sha256: hash.digest('hex') };
}

/** SHA-256 and size of an open file, read from its start; refuse with BlobTooLargeError past `maxBytes`. */
export async function hashFile(file: FileHandle, maxBytes = Number.POSITIVE_INFINITY): Promise<HashedCopy> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  let size = 0;
  for (;;) {
    const { bytesRead } = await file.read(buffer, 0, buffer.length, size);
    if (bytesRead === 0) break;
    size += bytesRead;
    if (size > maxBytes) throw new BlobTooLargeError(maxBytes);
    hash.update(buffer.subarray(0, bytesRead));
  }
  return { size, sha256: hash.digest('hex') };
}

/** What remains of `buffers` after a short write of `written` bytes. */
function dropWritten(buffers: Uint8Array[], written: number): Uint8Array[] {
  let remaining = written;
  let index = 0;
  while (index < buffers.length && remaining >= (buffers[index]?.byteLength ?? 0)) {
    remaining -= buffers[index]?.byteLength ?? 0;
    index += 1;
  }
  const rest = buffers.slice(index);
  const first = rest[0];
  if (first && remaining > 0) rest[0] = first.subarray(remaining);
  return rest;
}
