/**
 * Opening a StealthCloud vault: the master key every backup and restore encrypts with.
 *   v2 (default): key attributes live with the account (`/api/v2/vault/keys`, opaque to the server). None yet →
 *     create a vault (unless `createIfMissing: false`, as for a restore), store its attributes and hand the
 *     24 recovery words to the caller ONCE. Else unlock them with the vault password, so a new device needs
 *     nothing but that password.
 *   v1: PBKDF2 of email and account password, exactly what existing phones derive.
 * [Note: vault password] The v2 password must not be the login password: `/api/login` sends the login
 * password to the server, which could then derive the key-encryption key. v1 cannot avoid this (phones derive
 * the key from the account password), so v1 is not zero-knowledge against the server operator.
 * Must never send a password, master key or recovery words to the server, or keep the words anywhere.
 */
import {
  createVault,
  deriveMasterKeyV1,
  envelopeVersion,
  ManifestTampered,
  openManifestV1,
  parseKeyAttributes,
  unlockWithPassword,
  WrongPassword,
} from '@photosync/crypto';
import type { Argon2Params, KeyAttributes } from '@photosync/crypto';
import type { PhotoSyncClient } from '../client.ts';
import { NoVaultYet, VaultPasswordIsLoginPassword, VaultPasswordTooShort, WrongVaultPassword } from './vault-errors.ts';

export type VaultFormat = 'v1' | 'v2';

/** An unlocked vault. Zero `masterKey` (`fill(0)`) when done with it. */
export interface VaultKey {
  readonly format: VaultFormat;
  readonly masterKey: Uint8Array;
}

export interface OpenVaultOptions {
  readonly client: PhotoSyncClient;
  /** Default 'v2'. */
  readonly format?: VaultFormat;
  /** v2: the vault password; v1: the account password (what the phone uses). */
  readonly password: string;
  /** The account email; required for v1 (it salts the key). */
  readonly email?: string;
  /** v2: the account's login password, when the caller knows it, so a reuse is refused. */
  readonly loginPassword?: string;
  /** v2: create the vault when the account has none (default true). A restore passes false: NoVaultYet. */
  readonly createIfMissing?: boolean;
  /** v2: Argon2id costs for a vault created by this call (default: the crypto package's). */
  readonly kdf?: Argon2Params;
}

export interface OpenedVault {
  readonly vault: VaultKey;
  /** True when this call created the account's v2 vault. */
  readonly created: boolean;
  /**
   * Only when this call created the vault: the 24 recovery words. Show them to the person now; they are
   * stored nowhere and cannot be shown again.
   */
  readonly recoveryWords: readonly string[] | undefined;
}

/** Minimum length of a new v2 vault password (the server's rule for account passwords). */
export const MIN_VAULT_PASSWORD_LENGTH = 8;
/** How many stored manifests a v1 open inspects, looking for one to check the password against. */
const V1_PROBE_LIMIT = 20;

/** Open (or, for v2, create on first use) the account's vault. Throws WrongVaultPassword and friends. */
export async function openVault(options: OpenVaultOptions): Promise<OpenedVault> {
  const format = options.format ?? 'v2';
  if (format === 'v1') {
    if (options.email === undefined) throw new TypeError('openVault: format v1 needs the account email');
    const masterKey = await deriveMasterKeyV1(options.email, options.password);
    await checkV1Password(options.client, masterKey);
    return { vault: { format, masterKey }, created: false, recoveryWords: undefined };
  }
  if (options.loginPassword !== undefined && options.password === options.loginPassword) {
    throw new VaultPasswordIsLoginPassword();
  }
  const stored = await options.client.vault.getKeys();
  if (stored.keyAttributes) return unlockV2(parseKeyAttributes(stored.keyAttributes), options.password);
  if (options.createIfMissing === false) throw new NoVaultYet();
  return createV2(options);
}

async function unlockV2(attributes: KeyAttributes, password: string): Promise<OpenedVault> {
  try {
    const masterKey = await unlockWithPassword(attributes, password);
    return { vault: { format: 'v2', masterKey }, created: false, recoveryWords: undefined };
  } catch (error) {
    if (error instanceof WrongPassword) throw new WrongVaultPassword('v2');
    throw error;
  }
}

/**
 * Create the v2 vault and store its key attributes. The store is last-writer-wins, so read them back: if
 * another device created a vault at the same moment and its attributes are the ones kept, use that vault
 * (its device shows the words) rather than encrypt under a key nobody can recover.
 */
async function createV2(options: OpenVaultOptions): Promise<OpenedVault> {
  if (options.password.length < MIN_VAULT_PASSWORD_LENGTH) throw new VaultPasswordTooShort(MIN_VAULT_PASSWORD_LENGTH);
  const created = await createVault(options.password, options.kdf ? { kdf: options.kdf } : {});
  await options.client.vault.putKeys({ ...created.keyAttributes });
  const kept = await options.client.vault.getKeys();
  const keptAttributes = kept.keyAttributes ? parseKeyAttributes(kept.keyAttributes) : undefined;
  if (keptAttributes && !sameVault(keptAttributes, created.keyAttributes)) {
    created.masterKey.fill(0);
    return unlockV2(keptAttributes, options.password);
  }
  return { vault: { format: 'v2', masterKey: created.masterKey }, created: true, recoveryWords: created.recoveryWords };
}

/** Two key attributes wrap the same master key the same way (random wraps: equal boxes = same vault). */
function sameVault(a: KeyAttributes, b: KeyAttributes): boolean {
  return (
    a.masterKeyByRecoveryKey.box === b.masterKeyByRecoveryKey.box &&
    a.masterKeyByPassword.box === b.masterKeyByPassword.box
  );
}

/**
 * v1 keys cannot be checked on their own (they depend only on email and password). Open one stored v1
 * manifest, if any, so a wrong password fails here instead of mixing files under two keys.
 */
async function checkV1Password(client: PhotoSyncClient, masterKey: Uint8Array): Promise<void> {
  const page = await client.vault.listManifests({ offset: 0, limit: V1_PROBE_LIMIT });
  for (const { manifestId } of page.manifests) {
    const { encryptedManifest } = await client.vault.getManifest(manifestId);
    let version: 1 | 2;
    try {
      version = envelopeVersion(encryptedManifest);
    } catch {
      continue; // not a manifest we can read at all; look at the next one
    }
    if (version !== 1) continue;
    try {
      await openManifestV1(masterKey, encryptedManifest);
      return;
    } catch (error) {
      if (error instanceof ManifestTampered) throw new WrongVaultPassword('v1');
      throw error;
    }
  }
}
