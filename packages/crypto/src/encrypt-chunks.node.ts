/**
 * Node's encryptChunks: byte for byte the chunks, ids and ledger of the portable one in chunk-stream.ts, made
 * on two cores. Selected by the "node" condition of `#encrypt-chunks`; a backend other than sodium-native (a
 * test passing the browser one) gets the portable function.
 * Must never read more than READ_AHEAD_CHUNKS chunks beyond what it has yielded, hold more than a few chunk
 * buffers whatever the file size, or leave its shared copy of the file key unwiped.
 *
 * [Note: two-core chunk pipeline]
 * Each byte costs three passes: SHA-256 of the plaintext (the file hash, which must see the bytes in order,
 * so one thread does it all), secretbox, and SHA-256 of the ciphertext (the chunk id). Per GiB on the 2-core
 * machine of record: 0.59 s, 0.69 s and 0.59 s, so 0.93 s of wall time at best on two cores.
 *  - The main thread hashes each piece of plaintext as it arrives.
 *  - A chunk goes to the worker while it has fewer than WORKER_DEPTH chunks: its pieces are copied into a
 *    pooled buffer, which is transferred and sealed in place and hashed there. Otherwise the main thread seals
 *    the chunk straight from the pieces into a pooled box (startSecretbox, no copy) and hashes it itself.
 *  So the split balances itself: about a quarter of the chunks are done here, next to the file hash.
 *  - Boxes are pooled (chunk-boxes.node.ts): allocating and collecting 2 MiB per chunk cost ~15% of the CPU.
 *  - Chunks are yielded in order as soon as they are done; the main thread runs up to READ_AHEAD_CHUNKS ahead
 *    so that it never waits for the worker while it still has something to read. One chunk ahead (as the
 *    portable code) left a core idle for about a quarter of the time.
 * The worker starts with the second chunk, and chunks are sealed here until it is ready (or if it fails), so a
 * small file never waits for a thread. See chunk-worker.node.ts.
 */
import type { SodiumBackend } from './backend.ts';
import { SECRETBOX_KEY_BYTES } from './backend.ts';
import { boxForConsumer, giveBack, takeBox } from './chunk-boxes.node.ts';
import { CHUNK_SIZE, chunkNonce } from './chunk-cipher.ts';
import type { ByteSource, ChunkLedger, EncryptedChunk } from './chunk-stream.ts';
import { encryptChunks as encryptChunksPortable, requireBytes } from './chunk-stream.ts';
import type { ChunkWorker } from './chunk-worker.node.ts';
import { PLAINTEXT_OFFSET, sharedChunkWorker } from './chunk-worker.node.ts';
import { bytesToHex, requireLength } from './encoding.ts';
import { startSecretbox } from './sodium.node.ts';

/** Chunks at the worker at once: enough that it never idles while this thread seals one of its own. */
const WORKER_DEPTH = 3;
/** Chunks read beyond those yielded, at most. */
export const READ_AHEAD_CHUNKS = 4;

/** A chunk read whole and sealed, or being sealed by the worker. */
interface Pending {
  readonly settled: () => boolean;
  readonly result: Promise<EncryptedChunk>;
}

/** A chunk whose plaintext is still arriving. */
interface FillingChunk {
  /** Plaintext bytes added so far. */
  length: number;
  /** Take the plaintext bytes at `offset` of the chunk; the part is valid only during the call. */
  add(part: Uint8Array, offset: number): void;
  /** Seal the first `length` bytes and name the result. */
  finish(length: number): Pending;
  /** Give up on the chunk: wipe its cipher state, give its buffer back. */
  discard(): void;
}

/** Same signature and output as chunk-stream.ts's encryptChunks. */
export function encryptChunks(
  sodium: SodiumBackend,
  source: ByteSource,
  fileKey: Uint8Array,
  baseNonce16: Uint8Array,
): AsyncGenerator<EncryptedChunk, ChunkLedger, undefined> {
  if (sodium.name !== 'sodium-native') return encryptChunksPortable(sodium, source, fileKey, baseNonce16);
  return encryptChunksOnTwoCores(sodium, sharedChunkWorker(), source, fileKey, baseNonce16);
}

/** The pipeline with an explicit worker (tests give it one that fails). */
export async function* encryptChunksOnTwoCores(
  sodium: SodiumBackend,
  worker: ChunkWorker,
  source: ByteSource,
  fileKey: Uint8Array,
  baseNonce16: Uint8Array,
): AsyncGenerator<EncryptedChunk, ChunkLedger, undefined> {
  requireLength(fileKey, SECRETBOX_KEY_BYTES, 'file key');
  chunkNonce(baseNonce16, 0); // checks the base nonce before any work
  const sharedKey = new SharedArrayBuffer(SECRETBOX_KEY_BYTES);
  const key = new Uint8Array(sharedKey);
  key.set(fileKey);
  const fileHash = sodium.createSha256();
  const chunkIds: string[] = [];
  const chunkSizes: number[] = [];
  let begun = 0;

  const chunkOf = (index: number, chunkId: string, buffer: ArrayBuffer, plainSize: number): EncryptedChunk => {
    chunkIds[index] = chunkId;
    return { kind: 'chunk', index, chunkId, plainSize, ...boxForConsumer(buffer, plainSize) };
  };

  const sealHere = (index: number): FillingChunk => {
    const buffer = takeBox();
    const secretbox = startSecretbox(new Uint8Array(buffer), chunkNonce(baseNonce16, index), key);
    return {
      length: 0,
      add: (part) => secretbox.update(part),
      finish(length) {
        secretbox.finish();
        const hash = sodium.createSha256();
        hash.update(new Uint8Array(buffer, 0, length + 16));
        const result = Promise.resolve(chunkOf(index, bytesToHex(hash.digest()), buffer, length));
        return { settled: () => true, result };
      },
      discard() {
        secretbox.finish();
        giveBack(buffer);
      },
    };
  };

  const sealInWorker = (index: number): FillingChunk => {
    const buffer = takeBox();
    const plaintext = new Uint8Array(buffer, PLAINTEXT_OFFSET);
    return {
      length: 0,
      add: (part, offset) => plaintext.set(part, offset),
      finish(length) {
        const job = worker.seal(buffer, length, chunkNonce(baseNonce16, index), sharedKey);
        const result = job.sealed.then((sealed) => chunkOf(index, sealed.chunkId, sealed.buffer, length));
        return { settled: () => job.settled, result };
      },
      discard: () => giveBack(buffer),
    };
  };

  const begin = (): FillingChunk => {
    const index = begun++;
    if (index === 1) worker.start();
    worker.poll();
    return worker.ready && worker.outstanding < WORKER_DEPTH ? sealInWorker(index) : sealHere(index);
  };

  const finish = (chunk: FillingChunk): Pending => {
    chunkSizes.push(chunk.length);
    const pending = chunk.finish(chunk.length);
    pending.result.catch(() => undefined); // observed when yielded; never unhandled if the consumer stops early
    return pending;
  };

  const queue: Pending[] = [];
  let filling: FillingChunk | undefined;
  try {
    for await (const raw of source) {
      const piece = requireBytes(raw);
      for (let offset = 0; offset < piece.length;) {
        const chunk = (filling ??= begin());
        const part = piece.subarray(offset, offset + Math.min(CHUNK_SIZE - chunk.length, piece.length - offset));
        fileHash.update(part);
        chunk.add(part, chunk.length);
        chunk.length += part.length;
        offset += part.length;
        if (chunk.length < CHUNK_SIZE) continue;
        filling = undefined;
        queue.push(finish(chunk));
        // Hand out every chunk that is done; wait only once READ_AHEAD_CHUNKS are read and not handed out.
        for (worker.poll(); queue[0] && (queue[0].settled() || queue.length > READ_AHEAD_CHUNKS); worker.poll()) {
          yield await queue.shift()!.result;
        }
      }
    }
    // The short last chunk, or the one empty chunk of an empty file (every manifest has a chunk).
    if (filling || begun === 0) queue.push(finish(filling ?? begin()));
    filling = undefined;
    while (queue[0]) yield await queue.shift()!.result;
    const originalSize = chunkSizes.reduce((sum, size) => sum + size, 0);
    return { chunkIds, chunkSizes, originalSize, fileHash: bytesToHex(fileHash.digest()) };
  } finally {
    filling?.discard();
    // Chunks never handed out go back to the pool; the worker may still be reading the key for some of them.
    await Promise.all(queue.map((pending) => pending.result.then((chunk) => chunk.release?.()).catch(() => undefined)));
    key.fill(0);
  }
}
