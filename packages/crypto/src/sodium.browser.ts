/**
 * Browser / React Native implementation of the sodium fence (see backend.ts): libsodium-wrappers (WebAssembly)
 * for secretbox and randomness, WebCrypto for one-shot SHA-256, and plain-TypeScript incremental SHA-256 and
 * Argon2id, because the standard (non-sumo) libsodium-wrappers build ships neither crypto_hash_sha256 nor
 * crypto_pwhash. Selected by the "browser", "react-native" and "default" conditions of `#sodium`.
 * Must produce exactly the bytes of sodium.node.ts and must never import a Node built-in.
 */
import sodium from 'libsodium-wrappers';
import { argon2idBytes } from './argon2id.ts';
import type { Argon2Params, SodiumBackend } from './backend.ts';
import { SECRETBOX_MAC_BYTES } from './backend.ts';
import { arrayBufferBytes } from './encoding.ts';
import { createSha256Stream } from './sha256.ts';

function secretboxSeal(plaintext: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  return sodium.crypto_secretbox_easy(plaintext, nonce, key);
}

function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  if (box.length < SECRETBOX_MAC_BYTES) return null;
  try {
    return sodium.crypto_secretbox_open_easy(box, nonce, key);
  } catch {
    // libsodium-wrappers signals a failed MAC by throwing; the fence's contract is `null`.
    return null;
  }
}

function randomBytes(length: number): Uint8Array {
  return sodium.randombytes_buf(length);
}

async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', arrayBufferBytes(data)));
}

function argon2id(
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params,
  outputLength: number,
): Promise<Uint8Array> {
  return Promise.resolve(argon2idBytes(password, salt, params, outputLength));
}

const backend: SodiumBackend = {
  name: 'libsodium-wrappers',
  secretboxSeal,
  secretboxOpen,
  randomBytes,
  sha256,
  createSha256: createSha256Stream,
  argon2id,
};

let ready: Promise<SodiumBackend> | undefined;

/** The browser backend, once libsodium's WebAssembly module has initialised (first call only). */
export function loadSodium(): Promise<SodiumBackend> {
  ready ??= sodium.ready.then(() => backend);
  return ready;
}
