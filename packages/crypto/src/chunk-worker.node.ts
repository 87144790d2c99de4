/**
 * The Node encryption pipeline's second core: one worker thread that seals a chunk and hashes its ciphertext
 * (the chunk id), or only hashes a chunk the main thread sealed (see [Note: two-core chunk pipeline] in
 * encrypt-chunks.node.ts). Buffers are transferred, never copied; the file key is read from a
 * SharedArrayBuffer that the caller wipes, so no copy of it stays behind in a message.
 * The worker's code is plain CommonJS evaluated in the thread, so it needs no TypeScript loader, whatever runs
 * the process; it loads sodium-native from the path sodium.node.ts resolved (the Node side of the fence).
 * Must never keep a process alive while it has no job (it is ref'd only while jobs are outstanding), and a
 * failed or stopped worker must reject every job it holds, never leave one pending.
 */
import { Worker } from 'node:worker_threads';
import { SODIUM_NATIVE_PATH } from './sodium.node.ts';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const sodium = require(workerData.sodiumPath);
const chunkId = (bytes) => createHash('sha256').update(bytes).digest('hex');
function answer(job) {
  if (job.kind === 'seal') {
    const ciphertext = new Uint8Array(job.length + 16);
    const plaintext = new Uint8Array(job.plaintext, 0, job.length);
    sodium.crypto_secretbox_easy(ciphertext, plaintext, job.nonce, new Uint8Array(job.key));
    const ids = { id: job.id, ciphertext: ciphertext.buffer, plaintext: job.plaintext };
    return [{ ...ids, chunkId: chunkId(ciphertext) }, [ciphertext.buffer, job.plaintext]];
  }
  if (job.kind === 'hash') {
    const ciphertext = new Uint8Array(job.ciphertext, 0, job.length);
    return [{ id: job.id, ciphertext: job.ciphertext, chunkId: chunkId(ciphertext) }, [job.ciphertext]];
  }
  throw new Error('unknown job ' + String(job.kind));
}
parentPort.on('message', (job) => {
  let reply;
  try {
    reply = answer(job);
  } catch (error) {
    reply = [{ id: job.id, error: String((error && error.message) || error) }, []];
  }
  parentPort.postMessage(reply[0], reply[1]);
});
Atomics.store(new Int32Array(workerData.ready), 0, 1);
`;

/** A chunk sealed (or only hashed) by the worker: the ciphertext is back in this thread, with its id. */
export interface WorkerChunk {
  readonly ciphertext: Uint8Array;
  readonly chunkId: string;
}

/** A sealed chunk, plus the plaintext buffer it was sealed from, handed back for reuse. */
export interface WorkerSealed extends WorkerChunk {
  readonly plaintext: ArrayBuffer;
}

interface Answer {
  readonly id?: number;
  readonly ciphertext?: ArrayBuffer;
  readonly plaintext?: ArrayBuffer;
  readonly chunkId?: string;
  readonly error?: string;
}

interface PendingJob {
  readonly resolve: (answer: Answer) => void;
  readonly reject: (error: Error) => void;
}

/** A worker thread that failed or stopped; every job it held rejects with this. */
export class ChunkWorkerFailed extends Error {
  override readonly name = 'ChunkWorkerFailed';
}

export class ChunkWorker {
  private worker: Worker | undefined;
  private state: 'idle' | 'starting' | 'ready' | 'failed' = 'idle';
  /** Set to 1 by the worker once its modules are loaded: read synchronously, since a producer that never
   * yields to the event loop (a synchronous source) would never see a 'ready' message. */
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

  /** Start the thread in the background unless it runs or has failed; cheap to call often. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'starting';
    const worker = new Worker(this.source, {
      eval: true,
      // Plain CommonJS needs none of the parent's flags, and some would break it (--input-type=module).
      execArgv: [],
      workerData: { sodiumPath: SODIUM_NATIVE_PATH, ready: this.readyFlag.buffer },
    });
    worker.on('message', (answer: Answer) => this.settle(answer));
    worker.on('error', (error) => this.fail(`the chunk worker failed: ${error.message}`));
    worker.on('exit', (code) => this.fail(`the chunk worker stopped (exit code ${code})`));
    worker.unref(); // after the listeners: adding a 'message' listener refs the worker again
    this.worker = worker;
  }

  /** Seal `length` bytes of `plaintext` (transferred) and hash the result; the plaintext buffer comes back. */
  async seal(plaintext: ArrayBuffer, length: number, nonce: Uint8Array, key: SharedArrayBuffer): Promise<WorkerSealed> {
    const answer = await this.send({ kind: 'seal', plaintext, length, nonce, key }, [plaintext]);
    if (!answer.plaintext) throw new ChunkWorkerFailed('the chunk worker kept the plaintext buffer');
    return { ...chunkOf(answer, length + 16), plaintext: answer.plaintext };
  }

  /** The chunk id of `ciphertext`; its buffer is transferred there and back, so it must own all of it. */
  async hash(ciphertext: Uint8Array): Promise<WorkerChunk> {
    const { buffer, length } = ciphertext;
    if (!(buffer instanceof ArrayBuffer) || ciphertext.byteOffset !== 0 || buffer.byteLength !== length) {
      throw new RangeError('a chunk sent to the worker must be the whole of its own ArrayBuffer');
    }
    return chunkOf(await this.send({ kind: 'hash', ciphertext: buffer, length }, [buffer]), length);
  }

  /** Stop the thread; its jobs reject. Tests use it; the shared worker simply stays unref'd. */
  async stop(): Promise<void> {
    await this.worker?.terminate();
  }

  private send(job: object, transfer: ArrayBuffer[]): Promise<Answer> {
    const worker = this.worker;
    if (!worker || !this.ready) return Promise.reject(new ChunkWorkerFailed('the chunk worker is not ready'));
    const id = this.nextId++;
    const answer = new Promise<Answer>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) worker.ref(); // a job is outstanding: keep the process alive until it answers
    try {
      worker.postMessage({ ...job, id }, transfer);
    } catch (error) {
      this.forget(id)?.reject(error instanceof Error ? error : new ChunkWorkerFailed(String(error)));
    }
    return answer;
  }

  /** Take a job off the books; the worker is unref'd once none is left. */
  private forget(id: number): PendingJob | undefined {
    const job = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
    return job;
  }

  private settle(answer: Answer): void {
    const job = answer.id === undefined ? undefined : this.forget(answer.id);
    if (answer.error !== undefined)
      job?.reject(new ChunkWorkerFailed(`the chunk worker refused a job: ${answer.error}`));
    else job?.resolve(answer);
  }

  private fail(message: string): void {
    this.state = 'failed';
    this.worker = undefined;
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const job of jobs) job.reject(new ChunkWorkerFailed(message));
  }
}

function chunkOf(answer: Answer, length: number): WorkerChunk {
  if (!answer.ciphertext || answer.chunkId === undefined) throw new ChunkWorkerFailed('malformed worker answer');
  return { ciphertext: new Uint8Array(answer.ciphertext, 0, length), chunkId: answer.chunkId };
}

let shared: ChunkWorker | undefined;

/** The process's chunk worker, created on first use (its thread starts only when `start` is called). */
export function sharedChunkWorker(): ChunkWorker {
  shared ??= new ChunkWorker();
  return shared;
}
