/**
 * How a release proves where it comes from. The release script writes `<archive>.sha256` (one line:
 * `<hex>  <archive name>`) and signs exactly those bytes with the project's Ed25519 key into
 * `<archive>.sha256.sig` (base64). The updater verifies the signature with the public key shipped in
 * scripts/release-public-key.pem, then the archive's SHA-256 against the signed line. Signing the checksum
 * line binds the archive's name (and so its version) and lets the archive be hashed as it streams.
 * Nothing here ever accepts a release on a missing, malformed or mismatching signature.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** A release that must not be installed: unsigned, wrongly signed, or not matching its checksum. */
export class ReleaseVerificationError extends Error {
  override readonly name = 'ReleaseVerificationError';
}

export interface ChecksumEntry {
  readonly sha256: string;
  readonly fileName: string;
}

/** The checksum file's exact text (what gets signed). */
export function checksumText(sha256: string, fileName: string): string {
  return `${sha256}  ${fileName}\n`;
}

/** Parse a checksum file: exactly one `sha256sum`-style line. */
export function parseChecksumText(text: string): ChecksumEntry {
  const match = /^([0-9a-f]{64}) [ *]([^\s/\\]+)\n?$/.exec(text);
  if (!match?.[1] || !match[2]) throw new ReleaseVerificationError('the checksum file is malformed');
  return { sha256: match[1], fileName: match[2] };
}

/** A fresh Ed25519 key pair as PEM (PKCS#8 private, SPKI public). */
export function generateReleaseKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Sign the checksum file's bytes; returns the signature file's text (base64 and a newline). */
export function signChecksum(checksum: string | Buffer, privateKeyPem: string): string {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the release signing key must be an Ed25519 key');
  return `${sign(null, Buffer.from(checksum), key).toString('base64')}\n`;
}

/** Throw unless `signatureText` is a valid signature of `checksum` by the holder of `publicKeyPem`. */
export function verifyChecksumSignature(checksum: string | Buffer, signatureText: string, publicKeyPem: string): void {
  const key = createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the release public key is not an Ed25519 key');
  const signature = Buffer.from(signatureText.trim(), 'base64');
  if (signature.length !== 64 || signature.toString('base64') !== signatureText.trim()) {
    throw new ReleaseVerificationError('the release signature is malformed');
  }
  if (!verify(null, Buffer.from(checksum), key, signature)) {
    throw new ReleaseVerificationError('the release signature does not match the PhotoSync release key');
  }
}

/** SHA-256 (hex) of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
