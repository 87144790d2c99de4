/**
 * Node's encryptChunks: byte for byte the chunks, ids and ledger of the portable one in chunk-stream.ts, made
 * on two cores. Selected by the "node" condition of `#encrypt-chunks`; a backend other than sodium-native (a
 * test passing the browser one) gets the portable function.
 * Must never read more than one chunk ahead of what it has yielded (as the portable code), hold more than a
 * few chunk buffers whatever the file size, or leave its shared copy of the file key unwiped.
 *
 * [Note: two-core chunk pipeline]
 * Each byte costs three passes of about equal weight: SHA-256 of the plaintext (the file hash, which must see
 * the bytes in order, so one thread does it all), secretbox, and SHA-256 of the ciphertext (the chunk id). With
 * one chunk of read-ahead (what callers rely on), this split keeps both cores about equally busy:
 *  - the main thread hashes each piece of plaintext as it arrives;
 *  - chunks alternate. While the worker has no chunk to seal, the next chunk's pieces are copied into a
 *    reused buffer, which is transferred, sealed into a new buffer and hashed there. Otherwise the main thread
 *    seals the chunk straight from the pieces (startSecretbox, no copy) and transfers the ciphertext to the
 *    worker only for its id.
 * So the main thread does the file hash, half the sealing and half the copying, the worker half the sealing
 * and every chunk id. Measured alternatives that were no faster: more read-ahead (either thread ends up
 * busier), sealing in place in the buffer the main thread filled (every allocation lands on the busier
 * thread), buffers that are not zero-filled, a shared plaintext buffer hashed after the worker has started.
 * The worker starts with the second chunk, and chunks are sealed and hashed on the main thread until it is
 * ready (or if it fails), so a small file never waits for a thread. See chunk-worker.node.ts.
 */
import type { SodiumBackend } from './backend.ts';
import { SECRETBOX_KEY_BYTES, SECRETBOX_MAC_BYTES } from './backend.ts';
import { CHUNK_SIZE, chunkNonce } from './chunk-cipher.ts';
import type { ByteSource, ChunkLedger, EncryptedChunk } from './chunk-stream.ts';
import { encryptChunks as encryptChunksPortable, requireBytes } from './chunk-stream.ts';
import type { ChunkWorker, WorkerChunk } from './chunk-worker.node.ts';
import { sharedChunkWorker } from './chunk-worker.node.ts';
import { bytesToHex, requireLength } from './encoding.ts';
import { startSecretbox } from './sodium.node.ts';

/** A chunk whose plaintext is still arriving. */
interface FillingChunk {
  readonly index: number;
  /** Plaintext bytes added so far. */
  length: number;
  /** Take the plaintext bytes at `offset` of the chunk; the part is valid only during the call. */
  add(part: Uint8Array, offset: number): void;
  /** Seal (or finish sealing) the first `length` bytes and hash the ciphertext. */
  seal(length: number): Promise<WorkerChunk>;
  /** Give up on the chunk: wipe its cipher state, give its buffer back. */
  discard(): void;
}

/** Plaintext buffers of worker chunks, reused across chunks and files: one filling, one in the worker. */
const SPARE_LIMIT = 2;
const spares: ArrayBuffer[] = [];
const takeSpare = (): ArrayBuffer => spares.pop() ?? new ArrayBuffer(CHUNK_SIZE);
const giveBack = (buffer: ArrayBuffer): void => void (spares.length < SPARE_LIMIT && spares.push(buffer));

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
  let originalSize = 0;
  let begun = 0;
  let workerSealing = false;

  const hashHere = (ciphertext: Uint8Array): WorkerChunk => {
    const hash = sodium.createSha256();
    hash.update(ciphertext);
    return { ciphertext, chunkId: bytesToHex(hash.digest()) };
  };

  const sealHere = (index: number): FillingChunk => {
    const box = new Uint8Array(CHUNK_SIZE + SECRETBOX_MAC_BYTES);
    const secretbox = startSecretbox(box, chunkNonce(baseNonce16, index), key);
    return {
      index,
      length: 0,
      add: (part) => secretbox.update(part),
      seal(length) {
        secretbox.finish();
        const ciphertext = length === CHUNK_SIZE ? box : box.slice(0, length + SECRETBOX_MAC_BYTES);
        return worker.ready ? worker.hash(ciphertext) : Promise.resolve(hashHere(ciphertext));
      },
      discard: () => secretbox.finish(),
    };
  };

  const sealInWorker = (index: number): FillingChunk => {
    const plaintext = takeSpare();
    const view = new Uint8Array(plaintext);
    return {
      index,
      length: 0,
      add: (part, offset) => view.set(part, offset),
      seal(length) {
        workerSealing = true;
        const sealed = worker.seal(plaintext, length, chunkNonce(baseNonce16, index), sharedKey);
        const done = () => void (workerSealing = false);
        sealed.then((chunk) => giveBack(chunk.plaintext)).then(done, done);
        return sealed;
      },
      discard: () => giveBack(plaintext),
    };
  };

  const begin = (): FillingChunk => {
    const index = begun++;
    if (index === 1) worker.start();
    return worker.ready && !workerSealing ? sealInWorker(index) : sealHere(index);
  };

  const finish = (chunk: FillingChunk): Promise<EncryptedChunk> => {
    const { index, length: plainSize } = chunk;
    chunkSizes.push(plainSize);
    originalSize += plainSize;
    const sealed = chunk.seal(plainSize).then(({ ciphertext, chunkId }): EncryptedChunk => {
      chunkIds[index] = chunkId;
      return { kind: 'chunk', index, chunkId, ciphertext, plainSize };
    });
    sealed.catch(() => undefined); // observed when yielded; never unhandled if the consumer stops early
    return sealed;
  };

  let filling: FillingChunk | undefined;
  let inFlight: Promise<EncryptedChunk> | undefined;
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
        const previous = inFlight;
        inFlight = finish(chunk); // the job still running is always `inFlight`, which `finally` waits for
        if (previous) yield await previous;
      }
    }
    if (filling || !inFlight) {
      // The short last chunk, or the one empty chunk of an empty file (every manifest has a chunk).
      const previous = inFlight;
      inFlight = finish(filling ?? begin());
      filling = undefined;
      if (previous) yield await previous;
    }
    yield await inFlight;
    return { chunkIds, chunkSizes, originalSize, fileHash: bytesToHex(fileHash.digest()) };
  } finally {
    filling?.discard();
    await inFlight?.catch(() => undefined); // the worker may still be reading the key
    key.fill(0);
  }
}
