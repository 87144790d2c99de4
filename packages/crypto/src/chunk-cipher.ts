/**
 * One chunk and one file key, as both formats define them (PROTOCOL.md §4): secretbox with the per-file key,
 * nonce = baseNonce16 ‖ uint64 little-endian(chunk index), chunk id = hex(SHA-256(ciphertext)); the file key
 * travels wrapped by the master key. Must never return bytes whose MAC did not verify, and must never reuse
 * a (file key, nonce) pair: every file gets a fresh random key and base nonce.
 */
import { loadSodium } from '#sodium';
import type { SodiumBackend } from './backend.ts';
import { SECRETBOX_KEY_BYTES, SECRETBOX_NONCE_BYTES } from './backend.ts';
import { b64ToBytes, bytesToB64, bytesToHex, requireLength } from './encoding.ts';
import { ChunkTampered, InvalidArgument, ManifestInvalid } from './errors.ts';

/** Plaintext bytes per chunk: 2 MiB. Every chunk but the last is exactly this long. */
export const CHUNK_SIZE = 2 * 1024 * 1024;
export const BASE_NONCE_BYTES = 16;

/** The 24-byte nonce of chunk `index`: baseNonce16 ‖ uint64 little-endian(index). */
export function chunkNonce(baseNonce16: Uint8Array, index: number): Uint8Array {
  requireLength(baseNonce16, BASE_NONCE_BYTES, 'baseNonce16');
  if (!Number.isSafeInteger(index) || index < 0) throw new InvalidArgument('chunk index must be a safe integer ≥ 0');
  const nonce = new Uint8Array(SECRETBOX_NONCE_BYTES);
  nonce.set(baseNonce16, 0);
  const view = new DataView(nonce.buffer);
  view.setUint32(16, index >>> 0, true);
  view.setUint32(20, Math.floor(index / 0x100000000), true);
  return nonce;
}

/** Encrypt one chunk with an already-loaded backend (the streaming hot path). */
export function sealChunk(
  sodium: SodiumBackend,
  fileKey: Uint8Array,
  baseNonce16: Uint8Array,
  index: number,
  plaintext: Uint8Array,
): Uint8Array {
  requireLength(fileKey, SECRETBOX_KEY_BYTES, 'file key');
  return sodium.secretboxSeal(plaintext, chunkNonce(baseNonce16, index), fileKey);
}

/** Decrypt one chunk; throws ChunkTampered when the MAC fails (modified, truncated, wrong file or position). */
export function openChunk(
  sodium: SodiumBackend,
  fileKey: Uint8Array,
  baseNonce16: Uint8Array,
  index: number,
  ciphertext: Uint8Array,
): Uint8Array {
  requireLength(fileKey, SECRETBOX_KEY_BYTES, 'file key');
  const plaintext = sodium.secretboxOpen(ciphertext, chunkNonce(baseNonce16, index), fileKey);
  if (!plaintext) throw new ChunkTampered(index, 'MAC does not verify');
  return plaintext;
}

/** Encrypt one chunk's plaintext bytes; returns MAC ‖ ciphertext bytes. */
export async function encryptChunkBytes(
  fileKey: Uint8Array,
  baseNonce16: Uint8Array,
  index: number,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  return sealChunk(await loadSodium(), fileKey, baseNonce16, index, plaintext);
}

/** Decrypt one chunk's ciphertext bytes; throws ChunkTampered instead of returning unauthenticated data. */
export async function decryptChunkBytes(
  fileKey: Uint8Array,
  baseNonce16: Uint8Array,
  index: number,
  ciphertext: Uint8Array,
): Promise<Uint8Array> {
  return openChunk(await loadSodium(), fileKey, baseNonce16, index, ciphertext);
}

/** The chunk id the server stores a chunk under: lowercase hex SHA-256 of the ciphertext. */
export async function chunkIdHex(ciphertext: Uint8Array): Promise<string> {
  const sodium = await loadSodium();
  return bytesToHex(await sodium.sha256(ciphertext));
}

/** A fresh file key and base nonce, plus the file key wrapped by the master key (base64, as in manifests). */
export interface FileKeyB64 {
  readonly fileKey: Uint8Array;
  readonly baseNonce16: Uint8Array;
  readonly baseNonce16B64: string;
  readonly wrapNonceB64: string;
  readonly wrappedFileKeyB64: string;
}

export function newWrappedFileKey(sodium: SodiumBackend, masterKey: Uint8Array): FileKeyB64 {
  requireLength(masterKey, SECRETBOX_KEY_BYTES, 'master key');
  const fileKey = sodium.randomBytes(SECRETBOX_KEY_BYTES);
  const baseNonce16 = sodium.randomBytes(BASE_NONCE_BYTES);
  const wrapNonce = sodium.randomBytes(SECRETBOX_NONCE_BYTES);
  return {
    fileKey,
    baseNonce16,
    baseNonce16B64: bytesToB64(baseNonce16),
    wrapNonceB64: bytesToB64(wrapNonce),
    wrappedFileKeyB64: bytesToB64(sodium.secretboxSeal(fileKey, wrapNonce, masterKey)),
  };
}

/** Unwrap a manifest's file key; the manifest was authenticated, so failure means a broken writer. */
export function unwrapFileKeyB64(
  sodium: SodiumBackend,
  masterKey: Uint8Array,
  wrapNonceB64: string,
  wrappedFileKeyB64: string,
): Uint8Array {
  requireLength(masterKey, SECRETBOX_KEY_BYTES, 'master key');
  const wrapNonce = b64ToBytes(wrapNonceB64);
  const fileKey =
    wrapNonce.length === SECRETBOX_NONCE_BYTES
      ? sodium.secretboxOpen(b64ToBytes(wrappedFileKeyB64), wrapNonce, masterKey)
      : null;
  if (!fileKey || fileKey.length !== SECRETBOX_KEY_BYTES) {
    throw new ManifestInvalid('The manifest is authentic but its file key does not unwrap with this key');
  }
  return fileKey;
}
