/**
 * The device UUID existing PhotoSync phones derive: UUIDv5(name = "<email>:<password>", DNS namespace).
 * Used only as the device a token is bound to when a registration names no device, as the original did.
 */
import { createHash } from 'node:crypto';

const NAMESPACE = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');

export function uuidV5(name: string, namespace: Uint8Array = NAMESPACE): string {
  const digest = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function legacyDeviceUuid(email: string, password: string): string {
  return uuidV5(`${email}:${password}`);
}
