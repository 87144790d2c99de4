/**
 * Format v1 key material and ids, exactly as existing phones compute them (PROTOCOL.md §4): the
 * PBKDF2 master key, the UUIDv5 device id and the name+size manifest id.
 * These are weak by design of the original (the key depends only on email and password; the manifest id is
 * an unkeyed hash): keep them for compatibility, never reuse them in format v2.
 */
import { bytesToHex, utf8Bytes } from '../encoding.ts';
import { pbkdf2Sha256, sha1, sha256 } from '../webcrypto.ts';

export const V1_PBKDF2_ITERATIONS = 30_000;
/** The namespace the original client passes to UUIDv5 (RFC 4122's DNS namespace). */
export const V1_DEVICE_UUID_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/** Trimmed and lower-cased, as the server and the original client treat every email. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** v1 master key: PBKDF2-HMAC-SHA256(password, salt = normalized email, 30 000 iterations), 32 bytes. */
export function deriveMasterKeyV1(email: string, password: string): Promise<Uint8Array> {
  return pbkdf2Sha256(password, normalizeEmail(email), V1_PBKDF2_ITERATIONS, 32);
}

/** RFC 4122 name-based UUID, version 5 (SHA-1), in canonical lowercase form. */
export async function uuidV5(name: string, namespace: string): Promise<string> {
  const namespaceHex = namespace.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(namespaceHex)) throw new TypeError('namespace must be a UUID');
  const nameBytes = utf8Bytes(name);
  const input = new Uint8Array(16 + nameBytes.length);
  for (let i = 0; i < 16; i++) input[i] = parseInt(namespaceHex.slice(i * 2, i * 2 + 2), 16);
  input.set(nameBytes, 16);
  const bytes = (await sha1(input)).slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytesToHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** v1 device UUID: UUIDv5(name = "<email>:<password>", DNS namespace), email normalized. */
export function deviceUuidV1(email: string, password: string): Promise<string> {
  return uuidV5(`${normalizeEmail(email)}:${password}`, V1_DEVICE_UUID_NAMESPACE);
}

/** v1 manifest id: hex(SHA-256("file:" + lower(trim(filename)) + ":" + originalSize)). */
export async function manifestIdV1Hex(filename: string, originalSize: number): Promise<string> {
  const name = `file:${filename.trim().toLowerCase()}:${originalSize}`;
  return bytesToHex(await sha256(utf8Bytes(name)));
}
