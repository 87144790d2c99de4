/**
 * Test helpers for the crypto package: deterministic plaintext, byte sources cut into awkward pieces, and
 * collectors for the streaming APIs. Never used by src/.
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { ChunkWorker } from '../src/chunk-worker.node.ts';
import type { EncryptedChunk, SealedManifest } from '../src/index.ts';

/** Deterministic pseudo-random bytes (xorshift), different per seed. */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 0x9e3779b9 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Yield `data` in pieces of the given sizes, cycling through them (exercises re-chunking). */
export async function* inPieces(data: Uint8Array, sizes: readonly number[] = [65_537, 1, 300_000]) {
  let offset = 0;
  for (let i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

/** Run an encryption generator to the end: its chunks, and the manifest it yielded last. */
export async function encryptAll<M>(
  parts: AsyncIterable<EncryptedChunk | SealedManifest<M>>,
): Promise<{ chunks: EncryptedChunk[]; sealed: SealedManifest<M> }> {
  const chunks: EncryptedChunk[] = [];
  let sealed: SealedManifest<M> | undefined;
  for await (const part of parts) {
    if (part.kind === 'chunk') {
      expect(sealed).toBeUndefined();
      chunks.push(part);
    } else {
      sealed = part;
    }
  }
  if (!sealed) throw new Error('encryption yielded no manifest');
  return { chunks, sealed };
}

/** Decrypt to one buffer, also returning how many plaintext pieces were yielded before any error. */
export async function decryptAll(source: AsyncIterable<Uint8Array>, yielded: Uint8Array[] = []): Promise<Uint8Array> {
  for await (const piece of source) yielded.push(piece);
  return concatBytes(yielded);
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function flipBit(data: Uint8Array, byteIndex: number, bit = 0): Uint8Array {
  const copy = data.slice();
  copy[byteIndex] = copy[byteIndex]! ^ (1 << bit);
  return copy;
}

/** Start a chunk worker and wait (polling, no timing assumption) until it takes jobs. */
export async function readyWorker(worker = new ChunkWorker()): Promise<ChunkWorker> {
  worker.start();
  while (!worker.ready) {
    if (worker.failed) throw new Error('the chunk worker failed to start');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return worker;
}
