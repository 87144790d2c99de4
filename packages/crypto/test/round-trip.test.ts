/**
 * Round trips through the streaming APIs of both formats for the sizes that matter at chunk boundaries,
 * plus an independent re-implementation of the PROTOCOL.md §4 reading rules to show that what we write as
 * v1 is what an existing phone can read.
 */
import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_SIZE,
  b64ToBytes,
  createVault,
  decryptFile,
  deriveMasterKeyV1,
  encryptFileV1,
  encryptFileV2,
  envelopeVersion,
  declaredChunkIds,
  loadSodium,
  manifestIdV1Hex,
  manifestIdV2Hex,
  openManifestV1,
  openManifestV2,
} from '../src/index.ts';
import { concatBytes, decryptAll, encryptAll, inPieces, patternBytes, sha256Hex } from './helpers.ts';

const SIZES: [string, number, number][] = [
  ['empty', 0, 1],
  ['1 byte', 1, 1],
  ['exactly 2 MiB', CHUNK_SIZE, 1],
  ['2 MiB + 1', CHUNK_SIZE + 1, 2],
  ['multi-chunk', 3 * CHUNK_SIZE + 12_345, 4],
];
const V2_KDF = { memoryKiB: 1024, iterations: 1, parallelism: 1 };

/** PROTOCOL.md §4, read with nothing but the rules: PBKDF2 key, envelope, file-key unwrap, chunk nonces. */
async function readV1ByTheRules(email: string, password: string, encryptedManifest: string, chunks: Uint8Array[]) {
  const sodium = await loadSodium();
  const masterKey = new Uint8Array(pbkdf2Sync(password, email.trim().toLowerCase(), 30_000, 32, 'sha256'));
  const envelope = JSON.parse(encryptedManifest) as { manifestNonce: string; manifestBox: string };
  const json = sodium.secretboxOpen(b64ToBytes(envelope.manifestBox), b64ToBytes(envelope.manifestNonce), masterKey);
  if (!json) throw new Error('manifest does not open');
  const manifest = JSON.parse(new TextDecoder().decode(json)) as Record<string, unknown>;
  const fileKey = sodium.secretboxOpen(
    b64ToBytes(manifest.wrappedFileKey as string),
    b64ToBytes(manifest.wrapNonce as string),
    masterKey,
  );
  if (!fileKey) throw new Error('file key does not unwrap');
  const parts = chunks.map((chunk, index) => {
    const nonce = new Uint8Array(24);
    nonce.set(b64ToBytes(manifest.baseNonce16 as string));
    new DataView(nonce.buffer).setBigUint64(16, BigInt(index), true);
    expect(sha256Hex(chunk)).toBe((manifest.chunkIds as string[])[index]);
    const plain = sodium.secretboxOpen(chunk, nonce, fileKey);
    if (!plain) throw new Error(`chunk ${index} does not open`);
    return plain;
  });
  return { manifest, plaintext: concatBytes(parts) };
}

describe('format v1 round trips', () => {
  const email = 'Dana@Example.com ';
  const password = 'dana-pass-456';

  for (const [label, size, chunkCount] of SIZES) {
    it(`${label}: encrypts, decrypts and reads back by the protocol rules`, async () => {
      const masterKey = await deriveMasterKeyV1(email, password);
      const data = patternBytes(size, size + 3);
      const metadata = { filename: `File ${label}.bin`, mediaType: 'photo', creationTime: 1_700_000_000_000 } as const;
      const { chunks, sealed } = await encryptAll(encryptFileV1(masterKey, metadata, inPieces(data)));

      expect(chunks).toHaveLength(chunkCount);
      expect(sealed.chunkCount).toBe(chunkCount);
      expect(chunks.map((chunk) => chunk.index)).toEqual([...Array(chunkCount).keys()]);
      for (const chunk of chunks) expect(chunk.chunkId).toBe(sha256Hex(chunk.ciphertext));
      expect(chunks.slice(0, -1).every((chunk) => chunk.plainSize === CHUNK_SIZE)).toBe(true);
      expect(sealed.manifestId).toBe(await manifestIdV1Hex(metadata.filename, size));
      expect(envelopeVersion(sealed.encryptedManifest)).toBe(1);
      expect(Object.keys(JSON.parse(sealed.encryptedManifest) as object)).toEqual(['manifestNonce', 'manifestBox']);

      const manifest = await openManifestV1(masterKey, sealed.encryptedManifest);
      expect(manifest).toEqual(sealed.manifest);
      expect(manifest.originalSize).toBe(size);
      expect(manifest.fileHash).toBe(sha256Hex(data));
      const ciphertexts = chunks.map((chunk) => chunk.ciphertext);
      const plaintext = await decryptAll(decryptFile(masterKey, manifest, ciphertexts));
      expect(Buffer.from(plaintext).equals(Buffer.from(data))).toBe(true);

      const byRules = await readV1ByTheRules(email, password, sealed.encryptedManifest, ciphertexts);
      expect(Buffer.from(byRules.plaintext).equals(Buffer.from(data))).toBe(true);
      expect(Object.keys(byRules.manifest)).toEqual([
        'v',
        'assetId',
        'filename',
        'mediaType',
        'originalSize',
        'creationTime',
        'exifCaptureTime',
        'exifMake',
        'exifModel',
        'baseNonce16',
        'wrapNonce',
        'wrappedFileKey',
        'chunkIds',
        'chunkSizes',
        'fileHash',
        'perceptualHash',
      ]);
    });
  }
});

describe('format v2 round trips', () => {
  for (const [label, size, chunkCount] of SIZES) {
    it(`${label}: encrypts and decrypts under a keyed manifest id`, async () => {
      const { masterKey } = await createVault('v2 password', { kdf: V2_KDF });
      const data = patternBytes(size, size + 11);
      const parts = encryptFileV2(masterKey, { filename: `${label}.mov`, mediaType: 'video' }, inPieces(data));
      const { chunks, sealed } = await encryptAll(parts);

      expect(chunks).toHaveLength(chunkCount);
      expect(sealed.manifest.v).toBe(2);
      expect(sealed.manifestId).toBe(await manifestIdV2Hex(masterKey, sha256Hex(data)));
      expect(sealed.manifestId).not.toBe(sha256Hex(data));
      expect(envelopeVersion(sealed.encryptedManifest)).toBe(2);
      expect(declaredChunkIds(sealed.encryptedManifest)).toEqual(chunks.map((chunk) => chunk.chunkId));

      const manifest = await openManifestV2(masterKey, sealed);
      expect(manifest).toEqual(sealed.manifest);
      expect(manifest.chunkSizes.reduce((sum, n) => sum + n, 0)).toBe(size);
      const plaintext = await decryptAll(
        decryptFile(
          masterKey,
          manifest,
          chunks.map((chunk) => chunk.ciphertext),
        ),
      );
      expect(Buffer.from(plaintext).equals(Buffer.from(data))).toBe(true);
    });
  }
});
