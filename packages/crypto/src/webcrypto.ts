/**
 * The WebCrypto primitives the formats need (PBKDF2-HMAC-SHA256, HMAC-SHA256, SHA-1, one-shot SHA-256),
 * through `globalThis.crypto.subtle`, so the same code runs in Node 20 and in browsers.
 * Must never be used for bulk data (see backend.ts for chunk hashing) and must never log its inputs.
 */
import { arrayBufferBytes, utf8Bytes } from './encoding.ts';

function subtle(): SubtleCrypto {
  const api = globalThis.crypto?.subtle;
  if (!api) throw new Error('WebCrypto (globalThis.crypto.subtle) is not available in this runtime');
  return api;
}

type SubtleCrypto = typeof globalThis.crypto.subtle;

/** PBKDF2-HMAC-SHA256 over UTF-8 strings, `length` bytes. */
export async function pbkdf2Sha256(password: string, salt: string, iterations: number, length: number) {
  const key = await subtle().importKey('raw', arrayBufferBytes(utf8Bytes(password)), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle().deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: arrayBufferBytes(utf8Bytes(salt)), iterations },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}

/** HMAC-SHA256(key, message): 32 bytes. */
export async function hmacSha256(key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const hmacKey = await subtle().importKey('raw', arrayBufferBytes(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await subtle().sign('HMAC', hmacKey, arrayBufferBytes(message)));
}

/** SHA-1 (only for UUIDv5, which the v1 device id requires). */
export async function sha1(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-1', arrayBufferBytes(data)));
}

/** One-shot SHA-256 of a small input. */
export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', arrayBufferBytes(data)));
}
