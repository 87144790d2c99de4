/**
 * Format v2 keys: a vault created with a password unlocks with it (and only it) or with the recovery words;
 * a password change re-wraps only the master key, so data encrypted before still decrypts; key attributes
 * from a server are validated.
 */
import { describe, expect, it } from 'vitest';
import {
  ARGON2_LIMITS,
  DEFAULT_ARGON2_PARAMS,
  InvalidKeyAttributes,
  InvalidRecoveryWords,
  UnsupportedFormat,
  WrongPassword,
  WrongRecoveryKey,
  bytesToB64,
  bytesToHex,
  changePassword,
  createVault,
  decryptFile,
  encryptFileV2,
  openManifestV2,
  parseKeyAttributes,
  recoveryKeyToWords,
  resetPasswordWithRecoveryWords,
  unlockWithPassword,
  unlockWithRecoveryWords,
  type KeyAttributes,
} from '../src/index.ts';
import { decryptAll, encryptAll, patternBytes } from './helpers.ts';

const kdf = { memoryKiB: 256, iterations: 2, parallelism: 1 };

describe('v2 vault keys', () => {
  it('creates key attributes that unlock with the password only', async () => {
    const vault = await createVault('correct horse', { kdf });
    expect(vault.masterKey).toHaveLength(32);
    expect(vault.recoveryWords).toHaveLength(24);
    expect(vault.keyAttributes.kdf).toMatchObject({ alg: 'argon2id', version: 19, ...kdf });
    expect(bytesToHex(await unlockWithPassword(vault.keyAttributes, 'correct horse'))).toBe(
      bytesToHex(vault.masterKey),
    );
    await expect(unlockWithPassword(vault.keyAttributes, 'correct horsE')).rejects.toBeInstanceOf(WrongPassword);

    const json = JSON.stringify(vault.keyAttributes);
    expect(json).not.toContain(bytesToB64(vault.masterKey));
    expect(json).not.toContain('correct horse');
    const fromServer = JSON.parse(json) as unknown;
    expect(parseKeyAttributes(fromServer)).toEqual(vault.keyAttributes);
  });

  it('normalizes the password to NFC and uses a fresh salt per vault', async () => {
    const composed = await createVault('caf\u00e9', { kdf });
    expect(await unlockWithPassword(composed.keyAttributes, 'cafe\u0301')).toEqual(composed.masterKey);
    const again = await createVault('caf\u00e9', { kdf });
    expect(again.keyAttributes.kdf.salt).not.toBe(composed.keyAttributes.kdf.salt);
    expect(again.masterKey).not.toEqual(composed.masterKey);
  });

  it('unlocks with the recovery words, and refuses other or malformed words', async () => {
    const vault = await createVault('pw-1', { kdf });
    expect(await unlockWithRecoveryWords(vault.keyAttributes, vault.recoveryWords)).toEqual(vault.masterKey);
    expect(await unlockWithRecoveryWords(vault.keyAttributes, vault.recoveryWords.join(' '))).toEqual(vault.masterKey);
    const otherWords = recoveryKeyToWords(patternBytes(32, 3));
    await expect(unlockWithRecoveryWords(vault.keyAttributes, otherWords)).rejects.toBeInstanceOf(WrongRecoveryKey);
    const broken = [...vault.recoveryWords.slice(0, 23), 'notaword'];
    await expect(unlockWithRecoveryWords(vault.keyAttributes, broken)).rejects.toBeInstanceOf(InvalidRecoveryWords);
  });

  it('a password change re-wraps only the master key; data encrypted before still decrypts', async () => {
    const vault = await createVault('old password', { kdf });
    const data = patternBytes(100_000, 4);
    const parts = encryptFileV2(vault.masterKey, { filename: 'before.jpg', mediaType: 'photo' }, [data]);
    const { chunks, sealed } = await encryptAll(parts);

    const changed = await changePassword(vault.keyAttributes, 'old password', 'new password');
    const next = changed.keyAttributes;
    expect(next.masterKeyByRecoveryKey).toEqual(vault.keyAttributes.masterKeyByRecoveryKey);
    expect(next.masterKeyByPassword).not.toEqual(vault.keyAttributes.masterKeyByPassword);
    expect(next.kdf.salt).not.toBe(vault.keyAttributes.kdf.salt);
    expect(next.kdf.memoryKiB).toBe(kdf.memoryKiB); // costs kept unless new ones are given
    await expect(unlockWithPassword(next, 'old password')).rejects.toBeInstanceOf(WrongPassword);
    await expect(changePassword(vault.keyAttributes, 'wrong', 'x')).rejects.toBeInstanceOf(WrongPassword);

    const masterKey = await unlockWithPassword(next, 'new password');
    expect(masterKey).toEqual(vault.masterKey);
    const manifest = await openManifestV2(masterKey, sealed);
    const plaintext = await decryptAll(
      decryptFile(
        masterKey,
        manifest,
        chunks.map((chunk) => chunk.ciphertext),
      ),
    );
    expect(Buffer.from(plaintext).equals(Buffer.from(data))).toBe(true);
    expect(await unlockWithRecoveryWords(next, vault.recoveryWords)).toEqual(vault.masterKey);
  });

  it('resets a forgotten password with the recovery words', async () => {
    const vault = await createVault('forgotten', { kdf });
    const stronger = { memoryKiB: 512, iterations: 2, parallelism: 2 };
    const reset = await resetPasswordWithRecoveryWords(vault.keyAttributes, vault.recoveryWords, 'fresh', {
      kdf: stronger,
    });
    expect(reset.masterKey).toEqual(vault.masterKey);
    expect(reset.keyAttributes.kdf).toMatchObject(stronger);
    expect(await unlockWithPassword(reset.keyAttributes, 'fresh')).toEqual(vault.masterKey);
  });

  it('validates key attributes from a server, bounding the Argon2 costs', async () => {
    const { keyAttributes } = await createVault('pw', { kdf });
    const withKdf = (change: object) => ({ ...keyAttributes, kdf: { ...keyAttributes.kdf, ...change } });
    expect(() => parseKeyAttributes(withKdf({ memoryKiB: ARGON2_LIMITS.maxMemoryKiB + 1 }))).toThrow(
      InvalidKeyAttributes,
    );
    expect(() => parseKeyAttributes(withKdf({ iterations: 0 }))).toThrow(InvalidKeyAttributes);
    expect(() => parseKeyAttributes(withKdf({ salt: 'AAAA' }))).toThrow(InvalidKeyAttributes);
    expect(() => parseKeyAttributes(withKdf({ alg: 'scrypt' }))).toThrow(UnsupportedFormat);
    expect(() => parseKeyAttributes({ ...keyAttributes, v: 3 })).toThrow(UnsupportedFormat);
    expect(() => parseKeyAttributes({ ...keyAttributes, masterKeyByPassword: { nonce: '', box: '' } })).toThrow(
      InvalidKeyAttributes,
    );
    expect(() => parseKeyAttributes('{}')).toThrow(InvalidKeyAttributes);
    // Weakened costs do not unlock: the KEK they give is another key.
    const weakened = withKdf({ iterations: 1 }) as KeyAttributes;
    await expect(unlockWithPassword(weakened, 'pw')).rejects.toBeInstanceOf(WrongPassword);
  });

  it('uses the documented default costs', async () => {
    expect(DEFAULT_ARGON2_PARAMS).toEqual({ memoryKiB: 65_536, iterations: 3, parallelism: 1 });
    const vault = await createVault('defaults');
    expect(vault.keyAttributes.kdf).toMatchObject(DEFAULT_ARGON2_PARAMS);
    expect(await unlockWithPassword(vault.keyAttributes, 'defaults')).toEqual(vault.masterKey);
  });
});
