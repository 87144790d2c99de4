/**
 * The Node chunk worker (src/chunk-worker.node.ts): what it seals and hashes equals sodium-native and
 * node:crypto in this thread, its failures reject the jobs it holds instead of leaving them pending, and a
 * process that used it still exits on its own.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, chunkNonce } from '../src/chunk-cipher.ts';
import { ChunkWorker, ChunkWorkerFailed, PLAINTEXT_OFFSET } from '../src/chunk-worker.node.ts';
import { loadSodium } from '../src/sodium.node.ts';
import { patternBytes, readyWorker, sha256Hex } from './helpers.ts';

function sharedKey(seed: number): SharedArrayBuffer {
  const key = new SharedArrayBuffer(32);
  new Uint8Array(key).set(patternBytes(32, seed));
  return key;
}

/** A buffer as the pipeline hands it over: box-sized, the plaintext at PLAINTEXT_OFFSET. */
function jobBuffer(data: Uint8Array): ArrayBuffer {
  const buffer = new ArrayBuffer(Math.max(CHUNK_SIZE, data.length) + PLAINTEXT_OFFSET);
  new Uint8Array(buffer, PLAINTEXT_OFFSET).set(data);
  return buffer;
}

/** A worker source that reports ready and then does `onJob` for every job on its port. */
const scripted = (onJob: string) => `
  const { workerData } = require('node:worker_threads');
  Atomics.store(new Int32Array(workerData.ready), 0, 1);
  workerData.port.on('message', () => { ${onJob} });
`;

describe('chunk worker', () => {
  const workers: ChunkWorker[] = [];
  const started = async (worker?: ChunkWorker) => {
    const ready = await readyWorker(worker);
    workers.push(ready);
    return ready;
  };
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
  });

  it('seals in place to the bytes of secretboxSeal, names the chunk by the SHA-256 of its box, returns the buffer', async () => {
    const worker = await started();
    const sodium = await loadSodium();
    const key = sharedKey(1);
    const baseNonce16 = patternBytes(16, 2);
    for (const [index, length] of [0, 1, 17, 65_536, CHUNK_SIZE].entries()) {
      const data = patternBytes(length, length + 3);
      const nonce = chunkNonce(baseNonce16, index);
      const buffer = jobBuffer(data);
      const job = worker.seal(buffer, length, nonce, key);
      expect(buffer.byteLength).toBe(0); // transferred, not copied
      const sealed = await job.sealed;
      expect(job.settled).toBe(true);
      const expected = sodium.secretboxSeal(data, nonce, new Uint8Array(key));
      expect(Buffer.from(sealed.ciphertext).equals(Buffer.from(expected))).toBe(true);
      expect(sealed.ciphertext.buffer).toBe(sealed.buffer);
      expect(sealed.buffer.byteLength).toBe(Math.max(CHUNK_SIZE, length) + PLAINTEXT_OFFSET);
      expect(sealed.chunkId).toBe(sha256Hex(expected));
    }
  });

  it('takes answers in without the event loop (poll), for a producer that never yields to it', async () => {
    const worker = await started();
    const job = worker.seal(jobBuffer(patternBytes(1000, 5)), 1000, patternBytes(24, 6), sharedKey(7));
    expect(worker.outstanding).toBe(1);
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (let tries = 0; tries < 2000 && !job.settled; tries++) {
      Atomics.wait(sleeper, 0, 0, 5); // blocks this thread: no event, no microtask runs meanwhile
      worker.poll();
    }
    expect(job.settled).toBe(true);
    expect(worker.outstanding).toBe(0);
    expect((await job.sealed).ciphertext.length).toBe(1016);
  });

  it('refuses a chunk that does not fit its buffer, keeping the buffer', async () => {
    const worker = await started();
    const buffer = new ArrayBuffer(100);
    await expect(worker.seal(buffer, 85, patternBytes(24, 8), sharedKey(8)).sealed).rejects.toBeInstanceOf(RangeError);
    expect(buffer.byteLength).toBe(100);
  });

  it('rejects jobs until it is started and ready', async () => {
    const worker = new ChunkWorker();
    expect(worker.ready).toBe(false);
    const job = worker.seal(jobBuffer(new Uint8Array(4)), 4, patternBytes(24, 9), sharedKey(9));
    expect(job.settled).toBe(true);
    await expect(job.sealed).rejects.toBeInstanceOf(ChunkWorkerFailed);
  });

  it('a job it cannot do rejects alone, its buffer comes back, and the next job still works', async () => {
    const worker = await started();
    const badNonce = new Uint8Array(5);
    await expect(worker.seal(jobBuffer(patternBytes(10)), 10, badNonce, sharedKey(3)).sealed).rejects.toThrow(
      /refused a job/,
    );
    const data = patternBytes(1000, 4);
    const sealed = await worker.seal(jobBuffer(data), 1000, patternBytes(24, 4), sharedKey(4)).sealed;
    expect(sealed.chunkId).toBe(sha256Hex(sealed.ciphertext));
    expect(worker.ready).toBe(true);
  });

  it('a worker that dies rejects every job it held, and takes no more', async () => {
    const worker = await started(new ChunkWorker(scripted('process.exit(3);')));
    const seal = () => worker.seal(jobBuffer(new Uint8Array(8)), 8, patternBytes(24, 10), sharedKey(10));
    const jobs = [seal(), seal()];
    for (const job of jobs) await expect(job.sealed).rejects.toThrow(/stopped \(exit code 3\)/);
    expect(jobs.every((job) => job.settled)).toBe(true);
    expect(worker.ready).toBe(false);
    expect(worker.outstanding).toBe(0);
    await expect(seal().sealed).rejects.toBeInstanceOf(ChunkWorkerFailed);
  });

  it('a worker that throws rejects what it held', async () => {
    const worker = await started(new ChunkWorker(scripted("throw new Error('boom');")));
    const job = worker.seal(jobBuffer(new Uint8Array(8)), 8, patternBytes(24, 11), sharedKey(11));
    await expect(job.sealed).rejects.toThrow(/failed: boom/);
  });

  it('does not keep a process alive once its jobs are done', async () => {
    const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const worker = fileURLToPath(new URL('../src/chunk-worker.node.ts', import.meta.url));
    const script = `
      import { encryptFileV2 } from ${JSON.stringify(index)};
      import { sharedChunkWorker } from ${JSON.stringify(worker)};
      const shared = sharedChunkWorker();
      shared.start();
      while (!shared.ready && !shared.failed) await new Promise((resolve) => setTimeout(resolve, 2));
      if (shared.failed) throw new Error('the chunk worker failed to start');
      let parts = 0;
      const file = [new Uint8Array(5 * ${CHUNK_SIZE} + 3)];
      for await (const part of encryptFileV2(new Uint8Array(32), { filename: 'a.mov', mediaType: 'video' }, file)) parts++;
      console.log(parts);
    `;
    // A worker keeping the process alive would hang the child: execFile's timeout then fails the test.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { timeout: 50_000 },
    );
    expect(stdout.trim()).toBe('7');
  });
});
