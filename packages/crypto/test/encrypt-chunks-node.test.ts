/**
 * The two-core Node pipeline (src/encrypt-chunks.node.ts) against the portable encryptChunks of
 * chunk-stream.ts: the same chunks, ids and ledger for every size and piece shape, whichever thread sealed
 * what; a worker that is missing, cannot start or dies mid-file; reading at most READ_AHEAD_CHUNKS ahead;
 * released chunks detached and their memory reused without changing any later chunk.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { SodiumBackend } from '../src/backend.ts';
import { CHUNK_SIZE } from '../src/chunk-cipher.ts';
import type { ChunkLedger, EncryptedChunk } from '../src/chunk-stream.ts';
import { encryptChunks as encryptChunksPortable } from '../src/chunk-stream.ts';
import { ChunkWorker, ChunkWorkerFailed } from '../src/chunk-worker.node.ts';
import { spareBoxes } from '../src/chunk-boxes.node.ts';
import { encryptChunks, encryptChunksOnTwoCores, READ_AHEAD_CHUNKS } from '../src/encrypt-chunks.node.ts';
import { loadSodium as loadBrowser } from '../src/sodium.browser.ts';
import { loadSodium, startSecretbox } from '../src/sodium.node.ts';
import { inPieces, patternBytes, readyWorker, sha256Hex } from './helpers.ts';

const fileKey = patternBytes(32, 21);
const baseNonce16 = patternBytes(16, 22);

async function run(parts: AsyncGenerator<EncryptedChunk, ChunkLedger, undefined>) {
  const chunks: EncryptedChunk[] = [];
  let step = await parts.next();
  for (; !step.done; step = await parts.next()) chunks.push(step.value);
  return { chunks, ledger: step.value };
}

type Run = Awaited<ReturnType<typeof run>>;

/** Equal runs, without walking 2 MiB ciphertexts element by element through the matcher. */
function expectSameRun(actual: Run, expected: Run): void {
  expect(actual.ledger).toEqual(expected.ledger);
  const fields = ({ kind, index, chunkId, plainSize }: EncryptedChunk) => ({ kind, index, chunkId, plainSize });
  expect(actual.chunks.map(fields)).toEqual(expected.chunks.map(fields));
  actual.chunks.forEach((chunk, i) => {
    expect(Buffer.from(chunk.ciphertext).equals(Buffer.from(expected.chunks[i]!.ciphertext))).toBe(true);
    expect(chunk.ciphertext.byteOffset).toBe(0);
    expect(chunk.ciphertext.buffer.byteLength).toBe(chunk.ciphertext.length); // the caller owns all of it
    expect(chunk.chunkId).toBe(sha256Hex(chunk.ciphertext));
  });
}

async function expectSameAsPortable(sodium: SodiumBackend, worker: ChunkWorker, data: Uint8Array, sizes: number[]) {
  const expected = await run(encryptChunksPortable(sodium, inPieces(data, sizes), fileKey, baseNonce16));
  expectSameRun(
    await run(encryptChunksOnTwoCores(sodium, worker, inPieces(data, sizes), fileKey, baseNonce16)),
    expected,
  );
}

const SIZES = [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 5 * CHUNK_SIZE + 7];

describe('two-core chunk pipeline', () => {
  const workers: ChunkWorker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
  });

  it('equals the portable pipeline for every size and piece shape, with both threads sealing', async () => {
    const sodium = await loadSodium();
    const worker = await readyWorker();
    workers.push(worker);
    const seal = vi.spyOn(worker, 'seal');
    // Every other chunk finds the worker full, so both threads seal whatever the machine's speed.
    let looks = 0;
    vi.spyOn(worker, 'outstanding', 'get').mockImplementation(() => (looks++ % 2) * 1000);
    let chunks = 0;
    for (const length of SIZES) {
      const data = patternBytes(length, length + 1);
      for (const sizes of [[65_537, 1, 300_000], [CHUNK_SIZE], [3 * CHUNK_SIZE], [1_048_576]]) {
        await expectSameAsPortable(sodium, worker, data, sizes);
        chunks += Math.max(1, Math.ceil(length / CHUNK_SIZE));
      }
    }
    expect(seal).toHaveBeenCalled(); // chunks sealed in the worker…
    expect(seal.mock.calls.length).toBeLessThan(chunks); // …and chunks sealed here
  });

  it('equals the portable pipeline when it decides alone, with the worker as busy as it gets', async () => {
    const sodium = await loadSodium();
    const worker = await readyWorker();
    workers.push(worker);
    const data = patternBytes(9 * CHUNK_SIZE + 11, 40);
    for (const sizes of [[CHUNK_SIZE], [65_536], [5 * CHUNK_SIZE]])
      await expectSameAsPortable(sodium, worker, data, sizes);
  });

  it('a released chunk is emptied at once, its memory serves a later chunk, and no later chunk changes', async () => {
    const sodium = await loadSodium();
    const worker = await readyWorker();
    workers.push(worker);
    const data = patternBytes(7 * CHUNK_SIZE + 5, 41);
    const expected = await run(encryptChunksPortable(sodium, [data], fileKey, baseNonce16));
    const parts = encryptChunksOnTwoCores(sodium, worker, inPieces(data, [300_001]), fileKey, baseNonce16);
    const seen: string[] = [];
    let step = await parts.next();
    for (; !step.done; step = await parts.next()) {
      const chunk = step.value;
      expect(sha256Hex(chunk.ciphertext)).toBe(expected.chunks[chunk.index]!.chunkId);
      seen.push(chunk.chunkId);
      const view = chunk.ciphertext;
      chunk.release?.();
      if (chunk.plainSize === CHUNK_SIZE) {
        expect(chunk.release).toBeTypeOf('function');
        expect(view.length).toBe(0); // detached: a stale reference reads nothing, whatever the memory holds next
        expect(chunk.ciphertext.length).toBe(0);
      }
      chunk.release?.(); // twice is harmless
    }
    expect(seen).toEqual(expected.ledger.chunkIds);
    expect(step.value).toEqual(expected.ledger);
    expect(spareBoxes()).toBeGreaterThan(0);
  });

  it('seals and hashes everything itself while the worker is not started', async () => {
    const sodium = await loadSodium();
    const idle = new ChunkWorker();
    const data = patternBytes(CHUNK_SIZE + 5, 30);
    await expectSameAsPortable(sodium, idle, data, [4096]);
    expect(idle.ready).toBe(false);
  });

  it('carries on alone when the worker cannot start', async () => {
    const sodium = await loadSodium();
    const broken = new ChunkWorker(`require('no-such-module-anywhere');`);
    workers.push(broken);
    broken.start();
    while (!broken.failed) await new Promise((resolve) => setTimeout(resolve, 2));
    await expectSameAsPortable(sodium, broken, patternBytes(4 * CHUNK_SIZE + 1, 31), [CHUNK_SIZE]);
  });

  it('rejects, never hangs, when the worker dies mid-file', async () => {
    const sodium = await loadSodium();
    const dying = `
      const { workerData } = require('node:worker_threads');
      Atomics.store(new Int32Array(workerData.ready), 0, 1);
      workerData.port.on('message', () => process.exit(7));
    `;
    const worker = await readyWorker(new ChunkWorker(dying));
    const data = patternBytes(6 * CHUNK_SIZE, 32);
    await expect(run(encryptChunksOnTwoCores(sodium, worker, [data], fileKey, baseNonce16))).rejects.toBeInstanceOf(
      ChunkWorkerFailed,
    );
  });

  it('reads at most READ_AHEAD_CHUNKS beyond what it has yielded, with the worker busy', async () => {
    const sodium = await loadSodium();
    const worker = await readyWorker();
    workers.push(worker);
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled += 65_536;
        yield patternBytes(65_536, pulled);
      }
    }
    const parts = encryptChunksOnTwoCores(sodium, worker, endless(), fileKey, baseNonce16);
    for (let yielded = 1; yielded <= 6; yielded++) {
      await parts.next();
      expect(pulled).toBeLessThanOrEqual((yielded + READ_AHEAD_CHUNKS) * CHUNK_SIZE + 65_536);
    }
    await parts.return(undefined as never); // stops early: the key is wiped once the worker is done with it
  });

  it('a consumer that stops early gets the source closed, and the key outlives the worker jobs', async () => {
    const sodium = await loadSodium();
    const worker = await readyWorker();
    workers.push(worker);
    const seal = worker.seal.bind(worker);
    let sealsStarted = 0;
    let sealsDone = 0;
    vi.spyOn(worker, 'seal').mockImplementation((...args) => {
      sealsStarted++;
      const job = seal(...args);
      const done = () => void sealsDone++;
      job.sealed.then(done, done);
      return job;
    });
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; i < 10; i++) yield patternBytes(CHUNK_SIZE, i);
      } finally {
        closed = true;
      }
    }
    for await (const chunk of encryptChunksOnTwoCores(sodium, worker, source(), fileKey, baseNonce16)) {
      if (chunk.index === 1) break;
    }
    expect(closed).toBe(true);
    // With the worker ready from the start, the first chunks go to it: some were still there when the consumer
    // stopped at chunk 1, and stopping waited for them before wiping the shared key.
    expect(sealsStarted).toBeGreaterThan(1);
    expect(sealsDone).toBe(sealsStarted);
    const data = patternBytes(3 * CHUNK_SIZE, 33); // the worker is still fine for the next file
    await expectSameAsPortable(sodium, worker, data, [CHUNK_SIZE]);
  });

  it('hands a non-Node backend to the portable pipeline', async () => {
    const browser = await loadBrowser();
    const data = patternBytes(CHUNK_SIZE + 3, 34);
    const expected = await run(encryptChunksPortable(browser, [data], fileKey, baseNonce16));
    expectSameRun(await run(encryptChunks(browser, [data], fileKey, baseNonce16)), expected);
  });

  it('a secretbox sealed piece by piece has the bytes of one sealed whole', async () => {
    const sodium = await loadSodium();
    const nonce = patternBytes(24, 35);
    for (const [length, sizes] of [
      [0, [1]],
      [1, [1]],
      [31, [7]],
      [1000, [33, 1, 64]],
      [CHUNK_SIZE, [65_536, 3]],
      [CHUNK_SIZE, [CHUNK_SIZE]], // one piece, sealed in several blocks
      [CHUNK_SIZE - 5, [700_001, 1, 524_288]], // pieces across block edges
    ] as const) {
      const data = patternBytes(length, length + 36);
      const box = new Uint8Array(length + 16);
      const secretbox = startSecretbox(box, nonce, fileKey);
      for await (const piece of inPieces(data, [...sizes])) secretbox.update(piece);
      secretbox.finish();
      expect(Buffer.from(box).equals(Buffer.from(sodium.secretboxSeal(data, nonce, fileKey)))).toBe(true);
    }
  });
});
