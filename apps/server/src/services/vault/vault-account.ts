/**
 * Account-level StealthCloud state: usage and "subscription" (self-hosted accounts are always active,
 * limited only by an administrator's quota), the phone's device-state blob, v2 key attributes, and purge.
 */
import type { BlobStore } from '@photosync/storage';
import type { VaultChunkRepository } from '../../repositories/vault-chunk-repository.ts';
import type { VaultManifestRepository } from '../../repositories/vault-manifest-repository.ts';
import type { VaultStateRepository } from '../../repositories/vault-state-repository.ts';
import type { AuthContext } from '../accounts/account-service.ts';
import { PayloadTooLarge } from '../errors.ts';

export const MAX_DEVICE_STATE_BYTES = 100 * 1024;
export const SUBSCRIPTION = { allowed: true, status: 'active', plan: 'self-hosted', selfHosted: true } as const;

export interface VaultAccountDeps {
  readonly chunks: VaultChunkRepository;
  readonly manifests: VaultManifestRepository;
  readonly state: VaultStateRepository;
  readonly blobs: BlobStore;
  readonly now?: () => Date;
}

export class VaultAccount {
  constructor(private readonly deps: VaultAccountDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async usage(who: AuthContext) {
    const [{ usedBytes, quotaBytes }, capacity] = await Promise.all([
      this.deps.chunks.usage(who.accountId),
      this.deps.blobs.capacity(),
    ]);
    const serverFreeBytes = capacity?.freeBytes ?? 0;
    const unlimited = quotaBytes === null;
    const effectiveQuota = unlimited ? usedBytes + serverFreeBytes : quotaBytes;
    return {
      planGb: Math.round((effectiveQuota / 1e9) * 100) / 100,
      quotaBytes: effectiveQuota,
      usedBytes,
      remainingBytes: Math.max(0, Math.min(effectiveQuota - usedBytes, serverFreeBytes)),
      marginBytes: 0,
      unlimited,
      subscription: SUBSCRIPTION,
      serverFreeBytes,
    };
  }

  async deviceState(who: AuthContext): Promise<{ state: Record<string, unknown> | null; updatedAt: string | null }> {
    const stored = await this.deps.state.get(who.accountId, 'device_state');
    return {
      state: stored.json === null ? null : (JSON.parse(stored.json) as Record<string, unknown>),
      updatedAt: stored.updatedAt,
    };
  }

  async putDeviceState(who: AuthContext, state: Record<string, unknown>): Promise<string> {
    const json = JSON.stringify(state);
    if (Buffer.byteLength(json) > MAX_DEVICE_STATE_BYTES)
      throw new PayloadTooLarge('Device state is larger than 100 KiB');
    const at = this.now().toISOString();
    await this.deps.state.put(who.accountId, 'device_state', json, at);
    return at;
  }

  async keys(who: AuthContext): Promise<{ keyAttributes: Record<string, unknown> | null; updatedAt: string | null }> {
    const stored = await this.deps.state.get(who.accountId, 'key_attributes');
    return {
      keyAttributes: stored.json === null ? null : (JSON.parse(stored.json) as Record<string, unknown>),
      updatedAt: stored.updatedAt,
    };
  }

  async putKeys(who: AuthContext, keyAttributes: Record<string, unknown>): Promise<string> {
    const at = this.now().toISOString();
    await this.deps.state.put(who.accountId, 'key_attributes', JSON.stringify(keyAttributes), at);
    return at;
  }

  /** Delete every chunk and manifest (key attributes stay: they are needed to use the vault again). */
  async purge(who: AuthContext): Promise<{ chunks: number; manifests: number }> {
    const manifests = await this.deps.manifests.removeAll(who.accountId);
    const chunkIds = await this.deps.chunks.removeAll(who.accountId);
    await this.deps.state.clearDeviceState(who.accountId);
    await this.deps.blobs.deletePrefix(who.accountUuid);
    return { chunks: chunkIds.length, manifests };
  }
}
