/**
 * Uploading one file's ciphertext chunks: bounded concurrency shared by every file of a run (UploadSlots),
 * retries with backoff (a chunk is stored under the SHA-256 of its bytes, so sending it twice stores it once),
 * bytes counted as they are handed to the HTTP stack. Windowed mode, for journaled (large) files, groups
 * chunks so that a window is first recorded in the journal (write-ahead, `beforeSend`) and, when resuming,
 * checked against `/api/v2/vault/chunks/have`: only the chunks the server lacks are sent. A fresh random
 * file key makes chunks no server can hold yet, so fresh windows skip that round trip.
 * Must never hold more than a window plus the chunks in flight, count a chunk stored that was not, or
 * release a chunk's memory (EncryptedChunk.release) before the server has confirmed it stored.
 */
import type { EncryptedChunk } from '@photosync/crypto';
import type { PhotoSyncClient } from '../client.ts';
import { withRetry, type RetryOptions } from '../sync/retry.ts';

/** Chunks per window in windowed mode: 8 × 2 MiB held at most while journaling and asking. */
export const CHUNK_WINDOW = 8;

/** A counting semaphore: at most `limit` chunk uploads in flight across a whole run. */
export class UploadSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.free = Math.max(1, Math.floor(limit) || 1);
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/** What a run sent, summed over its files. */
export interface ChunkTally {
  chunksUploaded: number;
  /** Ciphertext bytes handed to the HTTP stack, retried attempts included. */
  chunkBytesSent: number;
  chunksAlreadyStored: number;
}

export interface FileChunkUploadDeps {
  readonly client: PhotoSyncClient;
  readonly slots: UploadSlots;
  readonly retry: RetryOptions;
  readonly tally: ChunkTally;
  /** Windowed mode: each window goes through `beforeSend` and, if `checkExisting` says so, a `have` check. */
  readonly windowed: boolean;
  /** Called with each window before any of its chunks is sent; may throw to stop the file. */
  readonly beforeSend?: (window: readonly EncryptedChunk[]) => Promise<void>;
  /** Whether to ask the server which chunks of this window it already has (resuming). */
  readonly checkExisting?: (window: readonly EncryptedChunk[]) => boolean;
  /** Called with a chunk's plaintext size once it is stored (sent, or found on the server). */
  readonly onChunkStored?: (plainSize: number) => void;
  readonly signal?: AbortSignal;
}

export class FileChunkUpload {
  private readonly inFlight = new Set<Promise<void>>();
  private window: EncryptedChunk[] = [];
  private failure: { error: unknown } | undefined;

  constructor(private readonly deps: FileChunkUploadDeps) {}

  /** Take one chunk; returns once it is sent or queued, so the caller can encrypt the next one. */
  async offer(chunk: EncryptedChunk): Promise<void> {
    this.throwIfFailed();
    if (!this.deps.windowed) return this.send(chunk);
    this.window.push(chunk);
    if (this.window.length >= CHUNK_WINDOW) await this.flushWindow();
  }

  /** Wait until every chunk of the file is stored; throws the first failure. */
  async finish(): Promise<void> {
    try {
      if (!this.failure) await this.flushWindow();
    } finally {
      await Promise.all(this.inFlight);
    }
    this.throwIfFailed();
  }

  /** Stop: wait for the uploads in flight (their outcome no longer matters). */
  async abandon(): Promise<void> {
    this.window = [];
    await Promise.all(this.inFlight);
  }

  private async flushWindow(): Promise<void> {
    const window = this.window;
    this.window = [];
    if (window.length === 0) return;
    const { client, retry, tally } = this.deps;
    await this.deps.beforeSend?.(window);
    let stored = new Set<string>();
    if (this.deps.checkExisting?.(window)) {
      const answer = await withRetry(() => client.vault.haveChunks(window.map((chunk) => chunk.chunkId)), retry);
      stored = new Set(answer.have);
    }
    for (const chunk of window) {
      if (stored.has(chunk.chunkId)) {
        tally.chunksAlreadyStored++;
        chunk.release?.();
        this.deps.onChunkStored?.(chunk.plainSize);
      } else {
        await this.send(chunk);
      }
    }
  }

  /** Start one upload as soon as a slot is free; it finishes in the background. */
  private async send(chunk: EncryptedChunk): Promise<void> {
    const { client, retry, signal, slots, tally } = this.deps;
    await slots.acquire();
    if (this.failure) {
      slots.release();
      this.throwIfFailed();
    }
    const attempt = () => {
      // Counted when handed over: a Uint8Array body goes out whole or the attempt fails.
      tally.chunkBytesSent += chunk.ciphertext.byteLength;
      return client.vault.putChunk(chunk.chunkId, chunk.ciphertext, signal);
    };
    const upload: Promise<void> = withRetry(attempt, retry)
      .then(() => {
        tally.chunksUploaded++;
        // Stored, never sent again: its memory serves a later chunk. A failed chunk is never released, since
        // nothing may rewrite a body the HTTP stack could still be sending.
        chunk.release?.();
        this.deps.onChunkStored?.(chunk.plainSize);
      })
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        slots.release();
        this.inFlight.delete(upload);
      });
    this.inFlight.add(upload);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
