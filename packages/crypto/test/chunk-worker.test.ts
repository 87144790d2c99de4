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
import { ChunkWorker, ChunkWorkerFailed } from '../src/chunk-worker.node.ts';
import { loadSodium } from '../src/sodium.node.ts';
import { patternBytes, readyWorker, sha256Hex } from './helpers.ts';

function sharedKey(seed: number): SharedArrayBuffer {
  const key = new SharedArrayBuffer(32);
  new Uint8Array(key).set(patternBytes(32, seed));
  return key;
}

/** A plaintext buffer as the pipeline hands it over: chunk-sized, `length` bytes used. */
function plaintextBuffer(data: Uint8Array): ArrayBuffer {
  const buffer = new ArrayBuffer(Math.max(CHUNK_SIZE, data.length));
  new Uint8Array(buffer).set(data);
  return buffer;
}

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

  it('seals to the bytes of secretboxSeal, names the chunk by the SHA-256 of its ciphertext, returns the buffer', async () => {
    const worker = await started();
    const sodium = await loadSodium();
    const key = sharedKey(1);
    const baseNonce16 = patternBytes(16, 2);
    for (const [index, length] of [0, 1, 17, 65_536, CHUNK_SIZE].entries()) {
      const data = patternBytes(length, length + 3);
      const nonce = chunkNonce(baseNonce16, index);
      const sealed = await worker.seal(plaintextBuffer(data), length, nonce, key);
      const expected = sodium.secretboxSeal(data, nonce, new Uint8Array(key));
      expect(Buffer.from(sealed.ciphertext).equals(Buffer.from(expected))).toBe(true);
      expect(sealed.ciphertext.buffer.byteLength).toBe(length + 16);
      expect(sealed.chunkId).toBe(sha256Hex(expected));
      expect(sealed.plaintext.byteLength).toBe(Math.max(CHUNK_SIZE, length));
    }
  });

  it('hashes like node:crypto: empty, one byte, a chunk, several chunks; the bytes come back intact', async () => {
    const worker = await started();
    for (const length of [0, 1, CHUNK_SIZE + 16, 3 * CHUNK_SIZE + 5]) {
      const data = patternBytes(length, length + 7);
      const { ciphertext, chunkId } = await worker.hash(data.slice());
      expect(chunkId).toBe(sha256Hex(data));
      expect(Buffer.from(ciphertext).equals(Buffer.from(data))).toBe(true);
    }
  });

  it('refuses a view that does not own its whole buffer (it would be transferred away)', async () => {
    const worker = await started();
    const data = patternBytes(100, 9);
    await expect(worker.hash(data.subarray(1))).rejects.toBeInstanceOf(RangeError);
    await expect(worker.hash(data.subarray(0, 99))).rejects.toBeInstanceOf(RangeError);
  });

  it('rejects jobs until it is started and ready', async () => {
    const worker = new ChunkWorker();
    expect(worker.ready).toBe(false);
    await expect(worker.hash(new Uint8Array(4))).rejects.toBeInstanceOf(ChunkWorkerFailed);
  });

  it('a job it cannot do rejects alone; the next job still works', async () => {
    const worker = await started();
    const badNonce = new Uint8Array(5);
    await expect(worker.seal(plaintextBuffer(patternBytes(10)), 10, badNonce, sharedKey(3))).rejects.toThrow(
      /refused a job/,
    );
    const data = patternBytes(1000, 4);
    expect((await worker.hash(data.slice())).chunkId).toBe(sha256Hex(data));
    expect(worker.ready).toBe(true);
  });

  it('a worker that dies rejects every job it held, and takes no more', async () => {
    const dying = `
      Atomics.store(new Int32Array(require('node:worker_threads').workerData.ready), 0, 1);
      require('node:worker_threads').parentPort.on('message', () => process.exit(3));
    `;
    const worker = await started(new ChunkWorker(dying));
    const jobs = [worker.hash(new Uint8Array(8)), worker.hash(new Uint8Array(8))];
    for (const job of jobs) await expect(job).rejects.toThrow(/stopped \(exit code 3\)/);
    expect(worker.ready).toBe(false);
    await expect(worker.hash(new Uint8Array(8))).rejects.toBeInstanceOf(ChunkWorkerFailed);
  });

  it('a worker that throws rejects what it held', async () => {
    const throwing = `
      Atomics.store(new Int32Array(require('node:worker_threads').workerData.ready), 0, 1);
      require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom'); });
    `;
    const worker = await started(new ChunkWorker(throwing));
    await expect(worker.hash(new Uint8Array(8))).rejects.toThrow(/failed: boom/);
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
