/**
 * StealthCloud chunks: ciphertext blobs named by the SHA-256 of their bytes, owned by one account.
 * Upload order: stream to staging while hashing → verify the hash equals X-Chunk-Id → publish (no-clobber) →
 * chunk row + usage counter within quota in one transaction ([Note: quota in the database]) → reply.
 * Must never: answer "stored" for bytes that were not verified and durable, rewrite an existing chunk, take
 * a truncated or foreign file for a chunk, or hold a chunk body in memory.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  BlobExistsError,
  BlobNotFoundError,
  BlobTooLargeError,
  type BlobStore,
  type StagedBlob,
} from '@photosync/storage';
import type { VaultChunkRepository } from '../../repositories/vault-chunk-repository.ts';
import type { AuthContext } from '../accounts/account-service.ts';
import { BadRequest, NotFound } from '../errors.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import { QuotaExceeded } from './quota-exceeded.ts';

/** A 2 MiB plaintext chunk is 2 MiB + 16 bytes of ciphertext; anything far larger is not a chunk. */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
const CHUNK_ID = /^[0-9a-f]{64}$/;

export interface ChunkStoreDeps {
  readonly chunks: VaultChunkRepository;
  readonly blobs: BlobStore;
  readonly now?: () => Date;
}

export function chunkKey(accountUuid: string, chunkId: string): string {
  return `${accountUuid}/${chunkId.slice(0, 2)}/${chunkId}`;
}

async function sha256Of(source: AsyncIterable<Uint8Array>, maxBytes = Number.POSITIVE_INFINITY): Promise<string> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const part of source) {
    size += part.byteLength;
    if (size > maxBytes) throw new BlobTooLargeError(maxBytes);
    hash.update(part);
  }
  return hash.digest('hex');
}

export class ChunkStore {
  /** Serialises work on one (account, chunk): an upload's publish+index against collection's delete. */
  readonly locks = new KeyedMutex();
  private readonly now: () => Date;

  constructor(private readonly deps: ChunkStoreDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Validate an `X-Chunk-Id` header (compatibility message on failure). */
  static parseChunkId(header: string | undefined): string {
    if (!header || !CHUNK_ID.test(header)) throw new BadRequest('Missing or invalid X-Chunk-Id', 'INVALID_CHUNK_ID');
    return header;
  }

  async put(
    who: AuthContext,
    chunkId: string,
    body: Readable | AsyncIterable<Uint8Array>,
    declaredLength: number | undefined,
  ): Promise<void> {
    const { chunks, blobs } = this.deps;
    if (await chunks.exists(who.accountId, chunkId)) {
      // Already stored: verify what was sent (never trust the id alone) but do not write it again.
      if ((await sha256Of(body, MAX_CHUNK_BYTES)) !== chunkId)
        throw new BadRequest('Chunk hash mismatch', 'CHUNK_HASH_MISMATCH');
      await chunks.have(who.accountId, [chunkId], this.now());
      return;
    }
    if (declaredLength !== undefined) await this.refuseEarlyOverQuota(who, declaredLength);
    const staged = await blobs.stage(body, { maxBytes: MAX_CHUNK_BYTES });
    try {
      // Even when X-Chunk-Id is SHA-256 of nothing: no ciphertext is empty (it carries at least a MAC).
      if (staged.size === 0) throw new BadRequest('No chunk uploaded', 'NO_CHUNK');
      if (staged.sha256 !== chunkId) throw new BadRequest('Chunk hash mismatch', 'CHUNK_HASH_MISMATCH');
      await this.locks.run(`${who.accountId}:${chunkId}`, () => this.publish(who, chunkId, staged));
    } finally {
      await blobs.discard(staged);
    }
  }

  async read(who: AuthContext, chunkId: string): Promise<Readable> {
    if (!CHUNK_ID.test(chunkId)) throw new BadRequest('Invalid chunk id', 'INVALID_CHUNK_ID');
    if (!(await this.deps.chunks.exists(who.accountId, chunkId))) throw new NotFound('Chunk not found');
    return this.deps.blobs.read(chunkKey(who.accountUuid, chunkId));
  }

  private async publish(who: AuthContext, chunkId: string, staged: StagedBlob): Promise<void> {
    const { chunks, blobs } = this.deps;
    const key = chunkKey(who.accountUuid, chunkId);
    await this.commitOrAdopt(key, chunkId, staged);
    // Not recorded (over quota, or the database refused: busy, full): not stored, so the file goes too —
    // unless another process stored the same chunk (row and file) meanwhile: its file must stay.
    const forget = async (): Promise<void> => {
      if (!(await chunks.exists(who.accountId, chunkId))) await blobs.delete(key);
    };
    const outcome = await chunks
      .insertWithinQuota(who.accountId, chunkId, staged.size, this.now())
      .catch(async (error: unknown) => {
        await forget();
        throw error;
      });
    if (outcome.kind === 'over-quota') {
      await forget();
      throw new QuotaExceeded(outcome.usedBytes, outcome.quotaBytes);
    }
  }

  /**
   * Publish the staged chunk under `key`. A file already there without a row (a crash after publish, or another
   * process uploading the same chunk) is adopted only if it really is this chunk; a foreign or truncated one is
   * replaced; one that vanishes meanwhile (that other upload was refused) is simply published again.
   */
  private async commitOrAdopt(key: string, chunkId: string, staged: StagedBlob): Promise<void> {
    const { blobs } = this.deps;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await blobs.commit(staged, key);
        return;
      } catch (error) {
        if (!(error instanceof BlobExistsError) || attempt >= 3) throw error;
      }
      const existing = await blobs.read(key).catch((error: unknown) => {
        if (error instanceof BlobNotFoundError) return undefined;
        throw error;
      });
      if (existing && (await sha256Of(existing)) === chunkId) return;
      if (existing) await blobs.delete(key);
    }
  }

  /** Cheap early refusal from Content-Length; the binding check is the database's. */
  private async refuseEarlyOverQuota(who: AuthContext, size: number): Promise<void> {
    const usage = await this.deps.chunks.usage(who.accountId);
    if (usage.quotaBytes !== null && usage.usedBytes + size > usage.quotaBytes) {
      throw new QuotaExceeded(usage.usedBytes, usage.quotaBytes);
    }
  }
}
