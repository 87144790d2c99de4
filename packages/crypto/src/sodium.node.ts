/**
 * Node implementation of the sodium fence (see backend.ts): sodium-native for secretbox and randomness,
 * node:crypto for SHA-256 (OpenSSL, hardware-accelerated) and @node-rs/argon2 for Argon2id.
 * Selected by the "node" condition of `#sodium`. Must produce exactly the bytes of sodium.browser.ts and must
 * never be imported by browser or React Native code. Beyond the fence's interface it offers the Node-only chunk
 * pipeline (encrypt-chunks.node.ts) a secretbox sealed piece by piece, and the path the pipeline's worker thread
 * (chunk-worker.node.ts) loads sodium-native from.
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
  crypto_stream_xor_STATEBYTES: number;
  crypto_stream_xor_init(state: Uint8Array, nonce: Uint8Array, key: Uint8Array): void;
  crypto_stream_xor_update(state: Uint8Array, out: Uint8Array, message: Uint8Array): void;
  crypto_stream_xor_final(state: Uint8Array): void;
  crypto_onetimeauth_STATEBYTES: number;
  crypto_onetimeauth_init(state: Uint8Array, key: Uint8Array): void;
  crypto_onetimeauth_update(state: Uint8Array, data: Uint8Array): void;
  crypto_onetimeauth_final(state: Uint8Array, out: Uint8Array): void;
}

const require = createRequire(import.meta.url);
const sodium = require('sodium-native') as SodiumNative;

/** Where sodium-native lives, for a worker thread that must load the same library (chunk-worker.node.ts). */
export const SODIUM_NATIVE_PATH = require.resolve('sodium-native');

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

/** Bytes sealed at a time by startSecretbox (and the chunk worker, which uses the same method). */
export const SEAL_BLOCK_BYTES = 512 * 1024;

/** A secretbox being sealed from plaintext that arrives in pieces; see startSecretbox. */
export interface PiecewiseSecretbox {
  /** Encrypt the next piece of plaintext into the box, right after the previous one. */
  update(piece: Uint8Array): void;
  /** Write the MAC (the first 16 bytes of the box) and wipe the cipher state; `update` must not follow. */
  finish(): void;
}

/**
 * Seal plaintext that arrives in pieces into `box` (MAC ‖ ciphertext, as secretboxSeal lays it out), without
 * first copying the pieces into one buffer. Secretbox is XSalsa20 whose first 32 keystream bytes are the
 * Poly1305 key and whose remaining keystream encrypts the message, then Poly1305 over the ciphertext: exactly
 * what is done here, so the bytes equal secretboxSeal's over the concatenated pieces (tests check it).
 */
export function startSecretbox(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): PiecewiseSecretbox {
  const stream = new Uint8Array(sodium.crypto_stream_xor_STATEBYTES);
  const mac = new Uint8Array(sodium.crypto_onetimeauth_STATEBYTES);
  const macKey = new Uint8Array(32);
  sodium.crypto_stream_xor_init(stream, nonce, key);
  sodium.crypto_stream_xor_update(stream, macKey, macKey); // XOR over zeros: the keystream's first 32 bytes
  sodium.crypto_onetimeauth_init(mac, macKey);
  macKey.fill(0);
  let offset = SECRETBOX_MAC_BYTES;
  return {
    update(piece) {
      if (offset + piece.length > box.length) throw new RangeError('the secretbox is full');
      // Block by block, so Poly1305 reads what XSalsa20 just wrote while it is in cache (~10% faster than two
      // passes over a large piece; a 2 MiB box does not stay in a 2 MiB L2 cache).
      for (let start = 0; start < piece.length; start += SEAL_BLOCK_BYTES) {
        const part = piece.subarray(start, start + SEAL_BLOCK_BYTES);
        const out = box.subarray(offset, offset + part.length);
        sodium.crypto_stream_xor_update(stream, out, part);
        sodium.crypto_onetimeauth_update(mac, out);
        offset += part.length;
      }
    },
    finish() {
      sodium.crypto_onetimeauth_final(mac, box.subarray(0, SECRETBOX_MAC_BYTES));
      sodium.crypto_stream_xor_final(stream);
      stream.fill(0);
      mac.fill(0);
    },
  };
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
