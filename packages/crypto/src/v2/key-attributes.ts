/**
 * Format v2 key management. A random 32-byte master key encrypts everything; it is stored only wrapped:
 * once by a key-encryption key derived from the password (Argon2id, random salt, stored costs) and once by
 * the recovery key (32 random bytes, shown to the person once as 24 words). Both wraps live in
 * `KeyAttributes`, a JSON value the server keeps opaque, so a new device restores with the password alone.
 * A password change re-wraps the master key and nothing else. Must never put the master key, the password,
 * the KEK or the recovery key in KeyAttributes, an error message or a log.
 */
import { loadSodium } from '#sodium';
import type { Argon2Params, SodiumBackend } from '../backend.ts';
import { SECRETBOX_KEY_BYTES, SECRETBOX_NONCE_BYTES } from '../backend.ts';
import { b64ToBytes, bytesToB64, utf8Bytes } from '../encoding.ts';
import { WrongPassword, WrongRecoveryKey } from '../errors.ts';
import { parseKeyAttributes } from './key-attributes-schema.ts';
import type { KeyAttributes, WrappedKeyB64 } from './key-attributes-schema.ts';
import { RECOVERY_KEY_BYTES, recoveryKeyToWords, recoveryWordsToKey } from './recovery-words.ts';

/** 64 MiB, 3 passes, 1 lane: about 0.1 s natively, a few seconds in the plain-TypeScript browser path. */
export const DEFAULT_ARGON2_PARAMS: Argon2Params = Object.freeze({ memoryKiB: 65_536, iterations: 3, parallelism: 1 });
const SALT_BYTES = 16;

export interface KeyOptions {
  /** Argon2id costs for the password KEK; DEFAULT_ARGON2_PARAMS when absent. */
  readonly kdf?: Argon2Params;
}

/** A freshly created vault: show `recoveryWords` once, store `keyAttributes` on the server. */
export interface NewVault {
  readonly masterKey: Uint8Array;
  readonly keyAttributes: KeyAttributes;
  readonly recoveryWords: string[];
}

/** An unlocked vault after a password change or reset. */
export interface RewrappedVault {
  readonly masterKey: Uint8Array;
  readonly keyAttributes: KeyAttributes;
}

function wrap(sodium: SodiumBackend, secret: Uint8Array, key: Uint8Array): WrappedKeyB64 {
  const nonce = sodium.randomBytes(SECRETBOX_NONCE_BYTES);
  return { nonce: bytesToB64(nonce), box: bytesToB64(sodium.secretboxSeal(secret, nonce, key)) };
}

function unwrap(sodium: SodiumBackend, wrapped: WrappedKeyB64, key: Uint8Array): Uint8Array | null {
  const opened = sodium.secretboxOpen(b64ToBytes(wrapped.box), b64ToBytes(wrapped.nonce), key);
  return opened && opened.length === SECRETBOX_KEY_BYTES ? opened : null;
}

/** The password's bytes: Unicode NFC, so the same password typed on any keyboard gives the same key. */
function passwordBytes(password: string): Uint8Array {
  return utf8Bytes(password.normalize('NFC'));
}

async function passwordWrap(sodium: SodiumBackend, masterKey: Uint8Array, password: string, kdf: Argon2Params) {
  const salt = sodium.randomBytes(SALT_BYTES);
  const kek = await sodium.argon2id(passwordBytes(password), salt, kdf, SECRETBOX_KEY_BYTES);
  try {
    const { memoryKiB, iterations, parallelism } = kdf;
    const params = { alg: 'argon2id', version: 19, memoryKiB, iterations, parallelism, salt: bytesToB64(salt) };
    return { kdf: params as KeyAttributes['kdf'], masterKeyByPassword: wrap(sodium, masterKey, kek) };
  } finally {
    kek.fill(0);
  }
}

/** Create a vault: new master key and recovery key, both wraps, and the 24 recovery words. */
export async function createVault(password: string, options: KeyOptions = {}): Promise<NewVault> {
  const sodium = await loadSodium();
  const masterKey = sodium.randomBytes(SECRETBOX_KEY_BYTES);
  const recoveryKey = sodium.randomBytes(RECOVERY_KEY_BYTES);
  try {
    const byPassword = await passwordWrap(sodium, masterKey, password, options.kdf ?? DEFAULT_ARGON2_PARAMS);
    const keyAttributes: KeyAttributes = {
      v: 2,
      ...byPassword,
      masterKeyByRecoveryKey: wrap(sodium, masterKey, recoveryKey),
    };
    return { masterKey, keyAttributes, recoveryWords: recoveryKeyToWords(recoveryKey) };
  } finally {
    recoveryKey.fill(0);
  }
}

/** The master key, from key attributes (as stored on the server) and the password; throws WrongPassword. */
export async function unlockWithPassword(attributes: KeyAttributes, password: string): Promise<Uint8Array> {
  const { kdf, masterKeyByPassword } = parseKeyAttributes(attributes);
  const sodium = await loadSodium();
  const kek = await sodium.argon2id(passwordBytes(password), b64ToBytes(kdf.salt), kdf, SECRETBOX_KEY_BYTES);
  try {
    const masterKey = unwrap(sodium, masterKeyByPassword, kek);
    if (!masterKey) throw new WrongPassword();
    return masterKey;
  } finally {
    kek.fill(0);
  }
}

/** The master key, from the 24 recovery words; throws InvalidRecoveryWords or WrongRecoveryKey. */
export async function unlockWithRecoveryWords(
  attributes: KeyAttributes,
  words: string | readonly string[],
): Promise<Uint8Array> {
  const { masterKeyByRecoveryKey } = parseKeyAttributes(attributes);
  const recoveryKey = recoveryWordsToKey(words);
  try {
    const masterKey = unwrap(await loadSodium(), masterKeyByRecoveryKey, recoveryKey);
    if (!masterKey) throw new WrongRecoveryKey();
    return masterKey;
  } finally {
    recoveryKey.fill(0);
  }
}

/** Re-wrap an unlocked master key for a new password: new salt and KEK, recovery wrap kept as it is. */
async function rewrap(attributes: KeyAttributes, masterKey: Uint8Array, newPassword: string, options: KeyOptions) {
  const current = parseKeyAttributes(attributes);
  const sodium = await loadSodium();
  const byPassword = await passwordWrap(sodium, masterKey, newPassword, options.kdf ?? current.kdf);
  const keyAttributes: KeyAttributes = { ...current, ...byPassword };
  return { masterKey, keyAttributes };
}

/** Change the password: only `kdf` and `masterKeyByPassword` change; all encrypted data stays valid. */
export async function changePassword(
  attributes: KeyAttributes,
  currentPassword: string,
  newPassword: string,
  options: KeyOptions = {},
): Promise<RewrappedVault> {
  const masterKey = await unlockWithPassword(attributes, currentPassword);
  return rewrap(attributes, masterKey, newPassword, options);
}

/** Forgotten password: unlock with the recovery words and wrap the master key for a new password. */
export async function resetPasswordWithRecoveryWords(
  attributes: KeyAttributes,
  words: string | readonly string[],
  newPassword: string,
  options: KeyOptions = {},
): Promise<RewrappedVault> {
  const masterKey = await unlockWithRecoveryWords(attributes, words);
  return rewrap(attributes, masterKey, newPassword, options);
}
