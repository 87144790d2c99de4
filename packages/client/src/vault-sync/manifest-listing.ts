/**
 * Reading the vault's manifests: every stored id (paged, so a vault of 100,000 files costs a handful of
 * requests), and opening one stored manifest in the vault's format (v1 envelopes with the PBKDF2 key, v2
 * envelopes with the v2 master key, checked against the id they are stored under).
 * Must never return manifest fields that the crypto package did not authenticate.
 */
import { envelopeVersion, openManifestV1, openManifestV2 } from '@photosync/crypto';
import type { ManifestV1, ManifestV2 } from '@photosync/crypto';
import type { PhotoSyncClient } from '../client.ts';
import type { VaultKey } from './open-vault.ts';
import { withRetry, type RetryOptions } from '../sync/retry.ts';
import { OtherVaultFormat } from './vault-errors.ts';

/** Manifest ids per listing request. */
const PAGE_SIZE = 5_000;

/** Every manifest id stored for the account, in the server's order (by id). */
export async function listManifestIds(client: PhotoSyncClient, retry: RetryOptions): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await withRetry(() => client.vault.listManifests({ offset, limit: PAGE_SIZE }), retry);
    for (const { manifestId } of page.manifests) ids.push(manifestId);
    if (page.manifests.length < PAGE_SIZE || ids.length >= page.total) return ids;
  }
}

/**
 * Fetch and open one manifest. Throws OtherVaultFormat for a manifest of the other format (say a phone's v1
 * file in a v2 restore), and the crypto package's ManifestTampered / ManifestInvalid for anything that
 * does not authenticate.
 */
export async function fetchManifest(
  client: PhotoSyncClient,
  vault: VaultKey,
  manifestId: string,
  retry: RetryOptions,
): Promise<ManifestV1 | ManifestV2> {
  const stored = await withRetry(() => client.vault.getManifest(manifestId), retry);
  const version = envelopeVersion(stored.encryptedManifest);
  const format = version === 1 ? 'v1' : 'v2';
  if (format !== vault.format) throw new OtherVaultFormat(format);
  if (version === 1) return openManifestV1(vault.masterKey, stored.encryptedManifest);
  return openManifestV2(vault.masterKey, { manifestId, encryptedManifest: stored.encryptedManifest });
}
