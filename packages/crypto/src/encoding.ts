/**
 * Byte ↔ text encodings used by the vault formats: padded standard base64 (what v1 phones write), lowercase
 * hex (chunk and manifest ids) and UTF-8. Runs unchanged in Node, browsers and React Native (no Buffer).
 * Decoders are strict: they must never silently accept malformed input, since it comes from a server.
 */
import { InvalidArgument } from './errors.ts';

const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < B64_ALPHABET.length; i++) B64_LOOKUP[B64_ALPHABET.charCodeAt(i)] = i;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Standard base64 with `=` padding. */
export function bytesToB64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64_ALPHABET[n >>> 18]! + B64_ALPHABET[(n >>> 12) & 63]! + B64_ALPHABET[(n >>> 6) & 63]!;
    out += B64_ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64_ALPHABET[n >>> 18]! + B64_ALPHABET[(n >>> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64_ALPHABET[n >>> 18]! + B64_ALPHABET[(n >>> 12) & 63]! + B64_ALPHABET[(n >>> 6) & 63]! + '=';
  }
  return out;
}

/** Decode padded standard base64; throws InvalidArgument on any other character or a bad length. */
export function b64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new InvalidArgument('base64 length is not a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const code = text.charCodeAt(i + k);
      const isPad = code === 61 && i + 4 === text.length && k >= 4 - padding;
      const value = isPad ? 0 : code < 128 ? B64_LOOKUP[code]! : -1;
      if (value < 0) throw new InvalidArgument('invalid base64 character');
      n = (n << 6) | value;
    }
    if (o < out.length) out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** Lowercase hex. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Decode hex (either case); throws InvalidArgument on odd length or a non-hex character. */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new InvalidArgument('invalid hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * The same bytes as a view of a plain ArrayBuffer, which WebCrypto (and its DOM typings) require: no copy
 * unless the bytes live in a SharedArrayBuffer.
 */
export function arrayBufferBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

export function utf8Bytes(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Decode UTF-8; throws InvalidArgument on invalid sequences instead of inserting U+FFFD. */
export function utf8Text(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new InvalidArgument('invalid UTF-8');
  }
}

/** True for a 64-character lowercase hex string (a SHA-256 chunk id or manifest id). */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}

/** True for a base64 string that decodes to exactly `length` bytes. */
export function isB64OfLength(value: unknown, length: number): value is string {
  try {
    return typeof value === 'string' && b64ToBytes(value).length === length;
  } catch {
    return false;
  }
}

/** Check a key or nonce length before it reaches the cipher. */
export function requireLength(bytes: Uint8Array, length: number, what: string): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new InvalidArgument(`${what} must be ${length} bytes`);
  }
  return bytes;
}
