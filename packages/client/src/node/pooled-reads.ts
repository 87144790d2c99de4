/**
 * Reading a whole library — hashing every file, then uploading what the server lacks — through a few
 * buffers lent out and taken back, instead of a fresh buffer per read: gigabytes of short-lived buffers
 * keep V8's garbage collector busy on every core for nothing (about a third of a backup's CPU, measured).
 * [Note: reads of a backup]
 * - Hashing is a file's first read, maybe from a slow disk or a NAS: it stays asynchronous (thread pool),
 *   in reads of up to 4 MiB that stop at the scanned size, so a typical photo costs one read.
 * - An upload re-reads a file hashed moments before (the pipeline hashes at most 256 MiB ahead), so a
 *   file of at most `syncReadMaxBytes` (32 MiB) is read synchronously from the page cache: a thread-pool round
 *   trip per chunk cost more CPU than the copy itself. Larger files (tus) stay asynchronous.
 * Must never: hand out a buffer that is still lent, or yield a chunk that outlives the next read.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { sha256Through } from './file-hash.ts';

export interface ReadSizes {
  readonly hashReadBytes: number;
  readonly uploadReadBytes: number;
  /** Uploads of files up to this size read synchronously. */
  readonly syncReadMaxBytes: number;
}

const MiB = 1024 * 1024;
const DEFAULT_SIZES: ReadSizes = { hashReadBytes: 4 * MiB, uploadReadBytes: MiB, syncReadMaxBytes: 32 * MiB };

export interface PooledReads {
  /** Lowercase hex SHA-256 of the file at `path`, of `size` bytes when known. */
  sha256(path: string, size?: number, signal?: AbortSignal): Promise<string>;
  /** The bytes of a `size`-byte file from `start`, each chunk in the same buffer (valid until the next). */
  readReusingBuffer(path: string, size: number, start?: number): AsyncIterable<Uint8Array>;
}

export function pooledReads(sizes: ReadSizes = DEFAULT_SIZES): PooledReads {
  const forHashing = spareBuffers(sizes.hashReadBytes);
  const forUploads = spareBuffers(sizes.uploadReadBytes);
  return {
    async sha256(path, size, signal) {
      const buffer = forHashing.take();
      try {
        return await sha256Through(buffer, path, size, signal);
      } finally {
        forHashing.give(buffer);
      }
    },
    async *readReusingBuffer(path, size, start = 0) {
      const buffer = forUploads.take();
      try {
        yield* size <= sizes.syncReadMaxBytes ? readCachedInto(buffer, path, start) : readInto(buffer, path, start);
      } finally {
        forUploads.give(buffer);
      }
    },
  };
}

async function* readInto(buffer: Buffer, path: string, start: number): AsyncIterable<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    for (let position = start; ;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** Synchronous reads, for a file the page cache holds (see the note above). */
async function* readCachedInto(buffer: Buffer, path: string, start: number): AsyncIterable<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    for (let position = start; ;) {
      const bytesRead = readSync(fd, buffer, 0, buffer.byteLength, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    closeSync(fd);
  }
}

function spareBuffers(size: number): { take(): Buffer; give(buffer: Buffer): void } {
  const spare: Buffer[] = [];
  return {
    take: () => spare.pop() ?? Buffer.allocUnsafeSlow(size),
    give: (buffer) => void spare.push(buffer),
  };
}
