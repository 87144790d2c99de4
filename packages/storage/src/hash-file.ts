/**
 * SHA-256 and size of a file already on disk (a finished resumable upload). Streams received over the network
 * are written and hashed on the copy thread instead ([Note: off-thread copy]). Memory stays bounded (one
 * 1 MiB read buffer) whatever the length.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { BlobTooLargeError } from './blob-store.ts';

export interface HashedCopy {
  readonly size: number;
  readonly sha256: string;
}

const READ_BUFFER_BYTES = 1024 * 1024;

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
