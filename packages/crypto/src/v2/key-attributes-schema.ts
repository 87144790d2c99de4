/**
 * The `KeyAttributes` JSON type of format v2 and its validation. The server stores this value opaquely
 * (`/api/v2/vault/keys`) and hands it back at login, so clients must treat it as untrusted input: every
 * length is checked and the Argon2 costs are bounded (a hostile server must not make a device allocate
 * gigabytes). Must never hold anything that helps decrypt without the password or the recovery key.
 */
import { SECRETBOX_KEY_BYTES, SECRETBOX_MAC_BYTES, SECRETBOX_NONCE_BYTES } from '../backend.ts';
import { isB64OfLength } from '../encoding.ts';
import { InvalidKeyAttributes, UnsupportedFormat } from '../errors.ts';

/** A 32-byte key sealed by secretbox: 24-byte nonce and 48-byte box, both base64. */
export interface WrappedKeyB64 {
  readonly nonce: string;
  readonly box: string;
}

export interface KeyAttributes {
  readonly v: 2;
  /** How to turn the password into the key-encryption key. */
  readonly kdf: {
    readonly alg: 'argon2id';
    /** Argon2 version 0x13. */
    readonly version: 19;
    readonly memoryKiB: number;
    readonly iterations: number;
    readonly parallelism: number;
    /** 16 random bytes, base64. */
    readonly salt: string;
  };
  /** The master key sealed with the password KEK. */
  readonly masterKeyByPassword: WrappedKeyB64;
  /** The master key sealed with the recovery key (the 24 words). */
  readonly masterKeyByRecoveryKey: WrappedKeyB64;
}

/** Upper bounds a client accepts from a server: 1 GiB, 32 passes, 16 lanes. */
export const ARGON2_LIMITS = Object.freeze({ maxMemoryKiB: 1_048_576, maxIterations: 32, maxParallelism: 16 });

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function readWrapped(value: unknown, name: string): WrappedKeyB64 {
  if (
    !isObject(value) ||
    !isB64OfLength(value.nonce, SECRETBOX_NONCE_BYTES) ||
    !isB64OfLength(value.box, SECRETBOX_KEY_BYTES + SECRETBOX_MAC_BYTES)
  ) {
    throw new InvalidKeyAttributes(`${name} must be {nonce, box} of 24 and 48 bytes in base64`);
  }
  return { nonce: value.nonce, box: value.box };
}

const inRange = (value: unknown, min: number, max: number): value is number =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/** Validate a value received from the server (or JSON.parse'd) as v2 KeyAttributes. */
export function parseKeyAttributes(value: unknown): KeyAttributes {
  if (!isObject(value)) throw new InvalidKeyAttributes('key attributes must be a JSON object');
  if (value.v !== 2) throw new UnsupportedFormat(`unsupported key attributes version ${JSON.stringify(value.v)}`);
  const kdf = value.kdf;
  if (!isObject(kdf) || kdf.alg !== 'argon2id' || kdf.version !== 19) {
    throw new UnsupportedFormat('key attributes must use Argon2id version 0x13');
  }
  const { maxMemoryKiB, maxIterations, maxParallelism } = ARGON2_LIMITS;
  const { memoryKiB, iterations, parallelism, salt } = kdf;
  if (!inRange(parallelism, 1, maxParallelism) || !inRange(iterations, 1, maxIterations)) {
    throw new InvalidKeyAttributes('Argon2 iterations or parallelism out of range');
  }
  if (!inRange(memoryKiB, 8 * parallelism, maxMemoryKiB)) throw new InvalidKeyAttributes('Argon2 memory out of range');
  if (!isB64OfLength(salt, 16)) throw new InvalidKeyAttributes('Argon2 salt must be 16 bytes of base64');
  return {
    v: 2,
    kdf: { alg: 'argon2id', version: 19, memoryKiB, iterations, parallelism, salt },
    masterKeyByPassword: readWrapped(value.masterKeyByPassword, 'masterKeyByPassword'),
    masterKeyByRecoveryKey: readWrapped(value.masterKeyByRecoveryKey, 'masterKeyByRecoveryKey'),
  };
}
