/**
 * Garbage collection of chunks no manifest references, after a grace period.
 * Safe only when every manifest of the account declares its chunks (v2); while a v1 manifest exists the
 * server cannot know what it references, so nothing is collected. Chunks touched (uploaded, or answered in
 * a "have" query) within the grace period are spared, so an upload in flight keeps its chunks; a manifest
 * declaring a chunk that was collected anyway is refused (MISSING_CHUNKS) rather than stored broken.
 */
import type { BlobStore } from '@photosync/storage';
import type { VaultChunkRepository } from '../../repositories/vault-chunk-repository.ts';
import type { VaultManifestRepository } from '../../repositories/vault-manifest-repository.ts';
import type { AuthContext } from '../accounts/account-service.ts';
import { chunkKey, type ChunkStore } from './chunk-store.ts';

export const DEFAULT_GRACE_SECONDS = 86_400;
export const MIN_GRACE_SECONDS = 3_600;

export interface CollectionResult {
  readonly deletedChunks: number;
  readonly freedBytes: number;
  readonly skippedReason?: string;
}

export interface ChunkCollectorDeps {
  readonly chunks: VaultChunkRepository;
  readonly manifests: VaultManifestRepository;
  readonly blobs: BlobStore;
  readonly chunkStore: ChunkStore;
  readonly now?: () => Date;
}

export async function collectUnreferencedChunks(
  deps: ChunkCollectorDeps,
  who: AuthContext,
  graceSeconds = DEFAULT_GRACE_SECONDS,
): Promise<CollectionResult> {
  const undeclared = await deps.manifests.countUndeclared(who.accountId);
  if (undeclared > 0) {
    return {
      deletedChunks: 0,
      freedBytes: 0,
      skippedReason: `${undeclared} manifest(s) in format v1 do not declare their chunks; collecting could delete data`,
    };
  }
  const grace = Math.max(graceSeconds, MIN_GRACE_SECONDS);
  const cutoff = (deps.now?.() ?? new Date()).getTime() - grace * 1000;
  const removed = await deps.chunks.deleteUnreferenced(who.accountId, cutoff);
  for (const { chunkId } of removed) {
    // An upload of the same chunk may have re-created the row meanwhile: then its file must stay.
    await deps.chunkStore.locks.run(`${who.accountId}:${chunkId}`, async () => {
      if (!(await deps.chunks.exists(who.accountId, chunkId)))
        await deps.blobs.delete(chunkKey(who.accountUuid, chunkId));
    });
  }
  return { deletedChunks: removed.length, freedBytes: removed.reduce((sum, chunk) => sum + chunk.size, 0) };
}
