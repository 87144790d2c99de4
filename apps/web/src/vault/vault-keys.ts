/**
 * Unlocking the StealthCloud vault in the browser. v2 (ours): the key attributes stored with the account
 * (`/api/v2/vault/keys`) are unwrapped with the vault password (Argon2id). v1 (original phones): the key is
 * derived from the account email and password, and checked against a stored manifest.
 * [Note: zero-knowledge web vault] The password and the master key stay in this page's memory: they are never
 * sent anywhere, only ciphertext is fetched, and locking the vault zeroes the key.
 */
import type { KeyAttributes } from '@photosync/crypto';
import { api } from '../app/api.ts';

export interface UnlockedVault {
  readonly format: 'v1' | 'v2';
  readonly masterKey: Uint8Array;
}

/** The crypto package with libsodium, as a separate chunk loaded when the vault page needs it. */
export const loadCrypto = () => import('@photosync/crypto');

/** Manifests inspected to check a v1 password. */
const V1_PROBE = 20;

export class VaultUnavailable extends Error {}

export async function unlockVault(email: string, password: string): Promise<UnlockedVault> {
  if (!globalThis.crypto?.subtle) {
    throw new VaultUnavailable(
      'This page is not a secure context, so the browser offers no WebCrypto: open PhotoSync over HTTPS or on ' +
        'localhost to use StealthCloud here, or use the phone app or the CLI.',
    );
  }
  const crypto = await loadCrypto();
  const { keyAttributes } = await api().vault.getKeys();
  if (keyAttributes) {
    let attributes: KeyAttributes;
    try {
      attributes = crypto.parseKeyAttributes(keyAttributes);
    } catch {
      throw new VaultUnavailable('The vault keys stored on the server are damaged.');
    }
    try {
      return { format: 'v2', masterKey: await crypto.unlockWithPassword(attributes, password) };
    } catch (error) {
      if (error instanceof crypto.WrongPassword) throw new VaultUnavailable('Wrong StealthCloud password.');
      throw error;
    }
  }
  const masterKey = await crypto.deriveMasterKeyV1(email, password);
  const { manifests } = await api().vault.listManifests({ offset: 0, limit: V1_PROBE });
  for (const { manifestId } of manifests) {
    const stored = await api().vault.getManifest(manifestId);
    if (crypto.envelopeVersion(stored.encryptedManifest) !== 1) continue;
    try {
      await crypto.openManifestV1(masterKey, stored.encryptedManifest);
      return { format: 'v1', masterKey };
    } catch {
      masterKey.fill(0);
      throw new VaultUnavailable(
        'Wrong password: for a vault made by the original phone app, use your account password.',
      );
    }
  }
  return { format: 'v1', masterKey };
}
