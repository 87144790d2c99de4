/**
 * [Note: off-thread copy] Staging an upload is "receive the body, write it to a file, hash it". The event loop
 * of the server is the one thread every request shares, so only the receiving happens there: the bytes are
 * copied into 256 KiB buffers and handed (transferred, not cloned) to one worker thread (./copy-worker.js),
 * which writes them to the staging file and feeds the SHA-256; the buffers come back for reuse. Each upload has
 * at most BUFFERS_PER_UPLOAD buffers at the worker (and all uploads together at most BUFFERS_IN_FLIGHT, each
 * keeping at least one), and its body is not read further until one returns, so memory stays flat for any size
 * and any number of uploads, and a slow disk slows the senders (TCP backpressure) rather than growing a queue.
 * Must never: close or reuse a file descriptor the worker may still write (copy() resolves or rejects only
 * after the worker answered `done` or `released` for it, or died), or report a hash of bytes not written.
 */
import { Worker } from 'node:worker_threads';
import { BlobTooLargeError } from './blob-store.ts';
import type { HashedCopy } from './hash-file.ts';

const BUFFER_BYTES = 256 * 1024;
const BUFFERS_PER_UPLOAD = 8;
/** All uploads together (16 MiB): many phones at once share it instead of each holding 2 MiB. */
const BUFFERS_IN_FLIGHT = 64;
/** Buffers kept for reuse between uploads (8 MiB); more are left to the garbage collector. */
const SPARE_BUFFERS = 32;

type WorkerMessage =
  | { type: 'ack'; id: number; data: Uint8Array<ArrayBuffer> }
  | { type: 'error'; id: number; code?: string; message: string }
  | { type: 'done'; id: number; sha256: string }
  | { type: 'released'; id: number };

interface Upload {
  inFlight: number;
  failure: Error | undefined;
  wake: (() => void) | undefined;
  settle: ((sha256: string | undefined) => void) | undefined;
}

/** An error from the worker's write, with the errno code (ENOSPC, EIO...) that callers map to answers. */
function writeError(code: string | undefined, message: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

export class OffThreadCopier {
  private worker: Worker | undefined;
  private readonly uploads = new Map<number, Upload>();
  private readonly spare: Uint8Array<ArrayBuffer>[] = [];
  /** Buffers at the worker, all uploads together. */
  private inFlight = 0;
  /** Uploads waiting for a buffer to come back, oldest first. */
  private readonly waiting = new Set<Upload>();
  private nextId = 1;
  /** The most buffers ever at the worker at once (a figure for tests and diagnostics). */
  peakInFlight = 0;

  constructor(
    private readonly bounds: { perUpload: number; shared: number } = {
      perUpload: BUFFERS_PER_UPLOAD,
      shared: BUFFERS_IN_FLIGHT,
    },
  ) {}

  /** Write every chunk of `source` to the open file `fd` (at its current offset) and hash it. */
  async copy(source: AsyncIterable<Uint8Array>, fd: number, maxBytes = Number.POSITIVE_INFINITY): Promise<HashedCopy> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const upload: Upload = { inFlight: 0, failure: undefined, wake: undefined, settle: undefined };
    const settled = new Promise<string | undefined>((resolve) => (upload.settle = resolve));
    this.uploads.set(id, upload);
    if (this.uploads.size === 1) worker.ref();
    worker.postMessage({ type: 'begin', id, fd });
    let size = 0;
    let buffer = this.take();
    let filled = 0;
    const send = async (): Promise<void> => {
      if (filled === 0) return;
      while (this.mustWait(upload)) {
        await new Promise<void>((resolve) => {
          upload.wake = resolve;
          this.waiting.add(upload);
        });
        this.waiting.delete(upload);
      }
      if (upload.failure) throw upload.failure;
      worker.postMessage({ type: 'data', id, data: buffer, length: filled }, [buffer.buffer]);
      upload.inFlight += 1;
      this.inFlight += 1;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      buffer = this.take();
      filled = 0;
    };
    let failure: Error | undefined;
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > maxBytes) throw new BlobTooLargeError(maxBytes);
        for (let offset = 0; offset < chunk.byteLength;) {
          const take = Math.min(BUFFER_BYTES - filled, chunk.byteLength - offset);
          buffer.set(chunk.subarray(offset, offset + take), filled);
          filled += take;
          offset += take;
          if (filled === BUFFER_BYTES) await send();
        }
        if (upload.failure) throw upload.failure;
      }
      await send();
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    this.giveBack(buffer);
    worker.postMessage({ type: 'end', id });
    const sha256 = await settled;
    if (failure !== undefined) throw failure;
    if (upload.failure || sha256 === undefined) throw upload.failure ?? new Error('The copy did not finish');
    return { size, sha256 };
  }

  /**
   * Whether `upload` must wait before handing over another buffer: it has its own bound at the worker, or the
   * shared bound is reached and it has a buffer there already (so every upload can always make progress, and
   * at most shared + one per upload are ever at the worker).
   */
  private mustWait(upload: Upload): boolean {
    if (upload.failure) return false;
    const { perUpload, shared } = this.bounds;
    return upload.inFlight >= perUpload || (upload.inFlight > 0 && this.inFlight >= shared);
  }

  private take(): Uint8Array<ArrayBuffer> {
    return this.spare.pop() ?? new Uint8Array(BUFFER_BYTES);
  }

  private giveBack(buffer: Uint8Array<ArrayBuffer>): void {
    if (this.spare.length < SPARE_BUFFERS && buffer.byteLength === BUFFER_BYTES) this.spare.push(buffer);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./copy-worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    worker.on('error', () => undefined); // the 'exit' that follows fails the uploads
    worker.on('exit', (code) => this.onExit(worker, code));
    this.worker = worker;
    return worker;
  }

  private onMessage(message: WorkerMessage): void {
    const upload = this.uploads.get(message.id);
    switch (message.type) {
      case 'ack': {
        this.giveBack(message.data);
        this.inFlight -= 1;
        if (upload) upload.inFlight -= 1;
        upload?.wake?.();
        // A buffer of the shared bound came back: the longest-waiting other upload may take it.
        for (const waiting of this.waiting) {
          if (waiting === upload) continue;
          waiting.wake?.();
          break;
        }
        return;
      }
      case 'error':
        if (upload) upload.failure ??= writeError(message.code, message.message);
        upload?.wake?.();
        return;
      case 'done':
      case 'released':
        this.finish(message.id, message.type === 'done' ? message.sha256 : undefined);
        return;
    }
  }

  private finish(id: number, sha256: string | undefined): void {
    const upload = this.uploads.get(id);
    this.uploads.delete(id);
    if (this.uploads.size === 0) this.worker?.unref();
    upload?.settle?.(sha256);
  }

  /** A dead worker writes nothing more: every upload it held fails, and the next copy starts a new one. */
  private onExit(worker: Worker, code: number): void {
    if (this.worker === worker) this.worker = undefined;
    this.inFlight = 0; // its buffers died with it
    for (const [id, upload] of this.uploads) {
      upload.failure ??= new Error(`The copy thread stopped (exit code ${code})`);
      upload.wake?.();
      this.finish(id, undefined);
    }
  }
}

/** One copy thread per process, shared by every store: uploads of all kinds queue on it in turn. */
export const sharedCopier = new OffThreadCopier();
