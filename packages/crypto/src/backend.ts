/**
 * The fence around the sodium libraries: the one small interface that `sodium.node.ts` (sodium-native) and
 * `sodium.browser.ts` (libsodium-wrappers) implement, byte for byte identically. `#sodium` in package.json
 * picks the implementation by export condition; everything else in the package codes against this type.
 * This file must never import a sodium library itself.
 */

/** Which implementation is in use (shown in diagnostics and benchmark output). */
export type BackendName = 'sodium-native' | 'libsodium-wrappers';

/** Incremental SHA-256 over a stream of pieces (the whole-file `fileHash`). */
export interface Sha256Stream {
  update(piece: Uint8Array): void;
  /** Finish and return the 32-byte digest; the stream must not be used afterwards. */
  digest(): Uint8Array;
}

/**
 * Argon2id (version 0x13) cost parameters. Stored with the key attributes, so they are part of the format:
 * the same password, salt and parameters must give the same key in every runtime.
 */
export interface Argon2Params {
  /** Memory in KiB (Argon2 `m`). */
  readonly memoryKiB: number;
  /** Passes over memory (Argon2 `t`). */
  readonly iterations: number;
  /** Lanes (Argon2 `p`); part of the output, not just a speed knob. */
  readonly parallelism: number;
}

export interface SodiumBackend {
  readonly name: BackendName;
  /**
   * NaCl secretbox (XSalsa20-Poly1305), "easy" layout: returns the 16-byte MAC followed by the encrypted
   * bytes. `nonce` is 24 bytes, `key` 32 bytes.
   */
  secretboxSeal(plaintext: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  /** Inverse of `secretboxSeal`; `null` when the MAC does not verify. Never returns unauthenticated bytes. */
  secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null;
  /** Cryptographically secure random bytes. */
  randomBytes(length: number): Uint8Array;
  /** One-shot SHA-256 (chunk ids). */
  sha256(data: Uint8Array): Promise<Uint8Array>;
  /** Incremental SHA-256 (whole-file hashes of files too large to hold in memory). */
  createSha256(): Sha256Stream;
  /** Raw Argon2id (v0x13) output of `outputLength` bytes. */
  argon2id(password: Uint8Array, salt: Uint8Array, params: Argon2Params, outputLength: number): Promise<Uint8Array>;
}

/** Lengths fixed by NaCl secretbox. */
export const SECRETBOX_KEY_BYTES = 32;
export const SECRETBOX_NONCE_BYTES = 24;
export const SECRETBOX_MAC_BYTES = 16;
