/**
 * Unlocking the StealthCloud vault in the browser. v2 (ours): the key attributes stored with the account
 * (`/api/v2/vault/keys`) are unwrapped with the vault password (Argon2id). v1 (original phones): the key is
 * derived from the account email and password, and checked against a stored manifest.
 * [Note: zero-knowledge web vault] The password and the master key stay in this page's memory: they are never
 * sent anywhere, only ciphertext is fetched, and locking the vault zeroes the key.
 */
import {
  deriveMasterKeyV1,
  envelopeVersion,
  openManifestV1,
  parseKeyAttributes,
  unlockWithPassword,
  WrongPassword,
  type KeyAttributes,
} from '@photosync/crypto';
import { api } from '../app/api.ts';

export interface UnlockedVault {
  readonly format: 'v1' | 'v2';
  readonly masterKey: Uint8Array;
}

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
  const { keyAttributes } = await api().vault.getKeys();
  if (keyAttributes) {
    let attributes: KeyAttributes;
    try {
      attributes = parseKeyAttributes(keyAttributes);
    } catch {
      throw new VaultUnavailable('The vault keys stored on the server are damaged.');
    }
    try {
      return { format: 'v2', masterKey: await unlockWithPassword(attributes, password) };
    } catch (error) {
      if (error instanceof WrongPassword) throw new VaultUnavailable('Wrong StealthCloud password.');
      throw error;
    }
  }
  const masterKey = await deriveMasterKeyV1(email, password);
  const { manifests } = await api().vault.listManifests({ offset: 0, limit: V1_PROBE });
  for (const { manifestId } of manifests) {
    const stored = await api().vault.getManifest(manifestId);
    if (envelopeVersion(stored.encryptedManifest) !== 1) continue;
    try {
      await openManifestV1(masterKey, stored.encryptedManifest);
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
