/**
 * Streaming SHA-256 of a file with node:crypto: constant memory whatever the file size. The file is read
 * into one buffer, over and over (a lent one when hashing a library, see ./pooled-reads.ts), instead of a
 * fresh buffer per read. Never keeps a reference to the buffer it was given.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const READ_BYTES = 1024 * 1024;

/** Lowercase hex SHA-256 of the file at `path`. */
export function sha256OfFile(path: string, signal?: AbortSignal): Promise<string> {
  return sha256Through(Buffer.allocUnsafe(READ_BYTES), path, undefined, signal);
}

/**
 * SHA-256 of the file read through `buffer`. With `size` (what a scan measured) it stops there instead of
 * asking for one more, empty read: a photo no larger than the buffer costs a single read.
 */
export async function sha256Through(
  buffer: Buffer,
  path: string,
  size: number | undefined,
  signal?: AbortSignal,
): Promise<string> {
  signal?.throwIfAborted();
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    for (let position = 0; size === undefined || position < size;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, position);
      if (bytesRead === 0) break;
      signal?.throwIfAborted();
      hash.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
