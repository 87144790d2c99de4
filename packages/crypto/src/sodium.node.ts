/**
 * Node implementation of the sodium fence (see backend.ts): sodium-native for secretbox and randomness,
 * node:crypto for SHA-256 (OpenSSL, hardware-accelerated) and @node-rs/argon2 for Argon2id.
 * Selected by the "node" condition of `#sodium`. Must produce exactly the bytes of sodium.browser.ts and must
 * never be imported by browser or React Native code.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { hashRaw } from '@node-rs/argon2';
import type { Argon2Params, SodiumBackend, Sha256Stream } from './backend.ts';
import { SECRETBOX_MAC_BYTES } from './backend.ts';
import { arrayBufferBytes } from './encoding.ts';

/** The part of sodium-native's API this package uses (the library ships no type declarations). */
interface SodiumNative {
  crypto_secretbox_easy(out: Uint8Array, message: Uint8Array, nonce: Uint8Array, key: Uint8Array): void;
  crypto_secretbox_open_easy(out: Uint8Array, box: Uint8Array, nonce: Uint8Array, key: Uint8Array): boolean;
}

const sodium = createRequire(import.meta.url)('sodium-native') as SodiumNative;

/** @node-rs/argon2 declares these as const enums, which isolatedModules cannot read: Argon2id = 2, 0x13 = 1. */
const ALGORITHM_ARGON2ID = 2;
const VERSION_0X13 = 1;

function secretboxSeal(plaintext: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  const box = new Uint8Array(plaintext.length + SECRETBOX_MAC_BYTES);
  sodium.crypto_secretbox_easy(box, plaintext, nonce, key);
  return box;
}

function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  if (box.length < SECRETBOX_MAC_BYTES) return null;
  const plaintext = new Uint8Array(box.length - SECRETBOX_MAC_BYTES);
  return sodium.crypto_secretbox_open_easy(plaintext, box, nonce, key) ? plaintext : null;
}

function randomBytes(length: number): Uint8Array {
  return randomFillSync(new Uint8Array(length));
}

/** WebCrypto's digest runs on libuv's thread pool, so chunk ids hash while the next chunk is sealed. */
async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', arrayBufferBytes(data)));
}

function createSha256(): Sha256Stream {
  const hash = createHash('sha256');
  return {
    update: (piece) => void hash.update(piece),
    digest: () => new Uint8Array(hash.digest()),
  };
}

async function argon2id(
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params,
  outputLength: number,
): Promise<Uint8Array> {
  const raw = await hashRaw(password, {
    salt,
    memoryCost: params.memoryKiB,
    timeCost: params.iterations,
    parallelism: params.parallelism,
    outputLen: outputLength,
    algorithm: ALGORITHM_ARGON2ID,
    version: VERSION_0X13,
  });
  return new Uint8Array(raw);
}

const backend: SodiumBackend = {
  name: 'sodium-native',
  secretboxSeal,
  secretboxOpen,
  randomBytes,
  sha256,
  createSha256,
  argon2id,
};

/** The Node backend; async only so that both runtimes share one signature (libsodium-wrappers must init). */
export function loadSodium(): Promise<SodiumBackend> {
  return Promise.resolve(backend);
}
