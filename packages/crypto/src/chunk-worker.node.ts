/**
 * The Node encryption pipeline's second core: one worker thread that seals a chunk in place and hashes its
 * ciphertext (the chunk id); see [Note: two-core chunk pipeline] in encrypt-chunks.node.ts. A job's buffer
 * holds the plaintext at offset 16 and comes back as the box (MAC ‖ ciphertext), transferred both ways, never
 * copied. The file key is read from a SharedArrayBuffer that the caller wipes, so no copy of it stays behind in
 * a message. Answers come over a MessagePort of their own, so the pipeline can also collect them without
 * waiting for the event loop (`poll`), which a producer that never yields to it (a synchronous source) needs.
 * The worker's code is plain CommonJS evaluated in the thread, so it needs no TypeScript loader, whatever runs
 * the process; it loads sodium-native from the path sodium.node.ts resolved (the Node side of the fence).
 * Must never keep a process alive while it has no job (its port is ref'd only while jobs are outstanding), and
 * a failed or stopped worker must reject every job it holds, never leave one pending.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { SEAL_BLOCK_BYTES, SODIUM_NATIVE_PATH } from './sodium.node.ts';

/** Where a job's plaintext starts in its buffer: the MAC goes in front of it, so the box is sealed in place. */
export const PLAINTEXT_OFFSET = 16;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const sodium = require(workerData.sodiumPath);
const port = workerData.port;
const stream = new Uint8Array(sodium.crypto_stream_xor_STATEBYTES);
const mac = new Uint8Array(sodium.crypto_onetimeauth_STATEBYTES);
const macKey = new Uint8Array(32);
// Secretbox in place, block by block (XSalsa20, then Poly1305 over the same block while it is in cache),
// as sodium.node.ts's startSecretbox does: the same bytes as crypto_secretbox_detached, ~10% less time.
function seal(job) {
  const box = new Uint8Array(job.buffer, 0, job.length + 16);
  const key = new Uint8Array(job.key);
  if (job.nonce.length !== 24 || key.length !== 32) throw new Error('a nonce has 24 bytes, a key 32');
  sodium.crypto_stream_xor_init(stream, job.nonce, key);
  macKey.fill(0);
  sodium.crypto_stream_xor_update(stream, macKey, macKey);
  sodium.crypto_onetimeauth_init(mac, macKey);
  for (let offset = 16; offset < box.length; offset += ${SEAL_BLOCK_BYTES}) {
    const block = box.subarray(offset, Math.min(offset + ${SEAL_BLOCK_BYTES}, box.length));
    sodium.crypto_stream_xor_update(stream, block, block);
    sodium.crypto_onetimeauth_update(mac, block);
  }
  sodium.crypto_onetimeauth_final(mac, box.subarray(0, 16));
  sodium.crypto_stream_xor_final(stream);
  for (const secret of [stream, mac, macKey]) secret.fill(0);
  return createHash('sha256').update(box).digest('hex');
}
port.on('message', (job) => {
  let answer;
  try {
    if (job.kind !== 'seal') throw new Error('unknown job ' + String(job.kind));
    answer = { id: job.id, buffer: job.buffer, chunkId: seal(job) };
  } catch (error) {
    answer = { id: job.id, buffer: job.buffer, error: String((error && error.message) || error) };
  }
  port.postMessage(answer, answer.buffer instanceof ArrayBuffer ? [answer.buffer] : []);
});
Atomics.store(new Int32Array(workerData.ready), 0, 1);
`;

/** A chunk sealed by the worker: `ciphertext` is the box, a view of `buffer` (which is back in this thread). */
export interface WorkerSealed {
  readonly ciphertext: Uint8Array;
  readonly chunkId: string;
  readonly buffer: ArrayBuffer;
}

/** A job sent to the worker; `settled` turns true as soon as its answer (or failure) is taken in. */
export interface SealJob {
  readonly sealed: Promise<WorkerSealed>;
  readonly settled: boolean;
}

interface Answer {
  readonly id?: number;
  readonly buffer?: ArrayBuffer;
  readonly chunkId?: string;
  readonly error?: string;
}

interface PendingJob {
  readonly job: { settled: boolean };
  readonly length: number;
  readonly resolve: (sealed: WorkerSealed) => void;
  readonly reject: (error: Error) => void;
}

/** A worker thread that failed or stopped; every job it held rejects with this. */
export class ChunkWorkerFailed extends Error {
  override readonly name = 'ChunkWorkerFailed';
}

export class ChunkWorker {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private state: 'idle' | 'starting' | 'ready' | 'failed' = 'idle';
  /** Set to 1 by the worker once its modules are loaded: read synchronously, like `poll`. */
  private readonly readyFlag = new Int32Array(new SharedArrayBuffer(4));
  private readonly pending = new Map<number, PendingJob>();
  private nextId = 0;

  /** `source` is the worker's CommonJS code; tests pass a broken one to see failures propagate. */
  constructor(private readonly source = WORKER_SOURCE) {}

  /** Whether jobs may be sent: started, modules loaded, not failed. */
  get ready(): boolean {
    if (this.state === 'starting' && Atomics.load(this.readyFlag, 0) === 1) this.state = 'ready';
    return this.state === 'ready';
  }

  /** Whether the thread failed or stopped; a failed worker is never restarted (callers seal on their own). */
  get failed(): boolean {
    return this.state === 'failed';
  }

  /** Jobs sent and not yet answered (after the last `poll`). */
  get outstanding(): number {
    return this.pending.size;
  }

  /** Start the thread in the background unless it runs or has failed; cheap to call often. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'starting';
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(this.source, {
      eval: true,
      // Plain CommonJS needs none of the parent's flags, and some would break it (--input-type=module).
      execArgv: [],
      workerData: { sodiumPath: SODIUM_NATIVE_PATH, ready: this.readyFlag.buffer, port: port2 },
      transferList: [port2],
    });
    port1.on('message', (answer: Answer) => this.settle(answer));
    port1.unref(); // ref'd only while a job is outstanding
    worker.on('error', (error) => this.fail(`the chunk worker failed: ${error.message}`));
    worker.on('exit', (code) => this.fail(`the chunk worker stopped (exit code ${code})`));
    worker.unref();
    this.worker = worker;
    this.port = port1;
  }

  /**
   * Seal `length` bytes of plaintext found at PLAINTEXT_OFFSET of `buffer` (transferred, so it must have room
   * for them) into a box at its start, and hash the box. The buffer comes back with the answer.
   */
  seal(buffer: ArrayBuffer, length: number, nonce: Uint8Array, key: SharedArrayBuffer): SealJob {
    const job = { settled: false, sealed: undefined as unknown as Promise<WorkerSealed> };
    const port = this.port;
    if (!port || !this.ready || buffer.byteLength < length + PLAINTEXT_OFFSET) {
      job.settled = true;
      job.sealed = Promise.reject(
        port && this.ready
          ? new RangeError('the chunk does not fit its buffer')
          : new ChunkWorkerFailed('the chunk worker is not ready'),
      );
      return job;
    }
    const id = this.nextId++;
    job.sealed = new Promise<WorkerSealed>((resolve, reject) => this.pending.set(id, { job, length, resolve, reject }));
    if (this.pending.size === 1) port.ref(); // a job is outstanding: keep the process alive until it answers
    try {
      port.postMessage({ kind: 'seal', id, buffer, length, nonce, key }, [buffer]);
    } catch (error) {
      this.forget(id)?.reject(error instanceof Error ? error : new ChunkWorkerFailed(String(error)));
    }
    return job;
  }

  /** Take in every answer that has arrived, without waiting for the event loop. */
  poll(): void {
    for (let received = this.port && receiveMessageOnPort(this.port); received;) {
      this.settle(received.message as Answer);
      received = this.port && receiveMessageOnPort(this.port);
    }
  }

  /** Stop the thread; its jobs reject. Tests use it; the shared worker simply stays unref'd. */
  async stop(): Promise<void> {
    await this.worker?.terminate();
  }

  /** Take a job off the books; the port is unref'd once none is left. */
  private forget(id: number): PendingJob | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.port?.unref();
    if (pending) pending.job.settled = true;
    return pending;
  }

  private settle(answer: Answer): void {
    const pending = answer.id === undefined ? undefined : this.forget(answer.id);
    if (!pending) return;
    const { buffer, chunkId, error } = answer;
    if (error !== undefined) pending.reject(new ChunkWorkerFailed(`the chunk worker refused a job: ${error}`));
    else if (!buffer || chunkId === undefined) pending.reject(new ChunkWorkerFailed('malformed worker answer'));
    else pending.resolve({ ciphertext: new Uint8Array(buffer, 0, pending.length + 16), chunkId, buffer });
  }

  private fail(message: string): void {
    this.state = 'failed';
    this.worker = undefined;
    this.port?.close();
    this.port = undefined;
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const pending of jobs) {
      pending.job.settled = true;
      pending.reject(new ChunkWorkerFailed(message));
    }
  }
}

let shared: ChunkWorker | undefined;

/** The process's chunk worker, created on first use (its thread starts only when `start` is called). */
export function sharedChunkWorker(): ChunkWorker {
  shared ??= new ChunkWorker();
  return shared;
}
