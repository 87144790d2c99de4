/**
 * StealthCloud manifests: opaque encrypted bodies under client-chosen ids, first writer wins.
 * v2 clients also declare the chunk ids a manifest uses; those must all be stored already, which both
 * catches incomplete uploads and makes garbage collection safe (a referenced chunk is never collected).
 */
import type { VaultChunkRepository } from '../../repositories/vault-chunk-repository.ts';
import type { VaultManifestRepository } from '../../repositories/vault-manifest-repository.ts';
import type { AuthContext } from '../accounts/account-service.ts';
import { BadRequest, NotFound } from '../errors.ts';

export interface ManifestStoreDeps {
  readonly manifests: VaultManifestRepository;
  readonly chunks: VaultChunkRepository;
  readonly now?: () => Date;
}

export interface PutManifest {
  readonly manifestId: string;
  readonly encryptedManifest: string;
  readonly chunkCount: number | undefined;
  readonly chunkIds: readonly string[] | undefined;
}

export class ManifestStore {
  private readonly now: () => Date;

  constructor(private readonly deps: ManifestStoreDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Store a manifest; false when one with this id already exists (it is kept unchanged). */
  async put(who: AuthContext, manifest: PutManifest): Promise<boolean> {
    const { manifests, chunks } = this.deps;
    if (manifest.chunkIds) {
      const unique = [...new Set(manifest.chunkIds)];
      const present = await chunks.have(who.accountId, unique, this.now());
      const missing = unique.filter((id) => !present.has(id));
      if (missing.length > 0) {
        throw new BadRequest(
          `${missing.length} chunk(s) of this manifest are not stored; upload them first`,
          'MISSING_CHUNKS',
          {
            missing: missing.slice(0, 100),
          },
        );
      }
    }
    return manifests.insert(
      who.accountId,
      manifest.manifestId,
      manifest.encryptedManifest,
      manifest.chunkCount ?? null,
      manifest.chunkIds,
      this.now(),
    );
  }

  async get(
    who: AuthContext,
    manifestId: string,
  ): Promise<{ manifestId: string; encryptedManifest: string; createdAt: string }> {
    const row = await this.deps.manifests.find(who.accountId, manifestId);
    if (!row) throw new NotFound('Manifest not found');
    return { manifestId: row.manifest_id, encryptedManifest: row.body, createdAt: row.created_at };
  }

  async list(
    who: AuthContext,
    offset: number,
    limit: number | undefined,
  ): Promise<{ manifests: { manifestId: string }[]; total: number }> {
    const [ids, total] = await Promise.all([
      this.deps.manifests.list(who.accountId, offset, limit),
      this.deps.manifests.count(who.accountId),
    ]);
    return { manifests: ids.map((manifestId) => ({ manifestId })), total };
  }

  async remove(who: AuthContext, manifestId: string): Promise<void> {
    if (!(await this.deps.manifests.remove(who.accountId, manifestId))) throw new NotFound('Manifest not found');
  }
}
