/**
 * SHA-256 of a picked file, which the server checks when the upload completes and which tells whether the
 * library already has the file. Read as a stream, so a 4 GB video never sits in memory. WebCrypto is used
 * for files small enough to read at once, and only where it exists: plain-HTTP LAN pages have no
 * `crypto.subtle`, so the crypto package's incremental SHA-256 is the general path.
 */
import { loadSodium } from '@photosync/crypto';

const WEBCRYPTO_MAX_BYTES = 64 * 1024 * 1024;

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function sha256OfFile(file: File, onProgress: (bytesHashed: number) => void): Promise<string> {
  if (globalThis.crypto?.subtle && file.size <= WEBCRYPTO_MAX_BYTES) {
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    onProgress(file.size);
    return hex(new Uint8Array(digest));
  }
  const hash = (await loadSodium()).createSha256();
  const reader = file.stream().getReader();
  let hashed = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    hashed += value.byteLength;
    onProgress(hashed);
  }
  return hex(hash.digest());
}
