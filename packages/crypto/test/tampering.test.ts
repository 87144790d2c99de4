/**
 * Tampering: whatever the server (or the network) changes — a bit in a chunk or a manifest, a truncated,
 * swapped, missing, extra or foreign chunk — decryption reports it with a typed error and never yields the
 * modified bytes as plaintext.
 */
import { describe, expect, it } from 'vitest';
import {
  CHUNK_SIZE,
  ChunkCountMismatch,
  ChunkOutOfOrder,
  ChunkTampered,
  CryptoError,
  ManifestInvalid,
  ManifestTampered,
  b64ToBytes,
  bytesToB64,
  createVault,
  decryptChunkBytes,
  decryptFile,
  encryptChunkBytes,
  encryptFileV1,
  encryptFileV2,
  openManifestV1,
  openManifestV2,
  type EncryptedChunk,
  type ManifestV1,
} from '../src/index.ts';
import { decryptAll, encryptAll, flipBit, inPieces, patternBytes } from './helpers.ts';

const masterKey = patternBytes(32, 77);
const SIZE = 2 * CHUNK_SIZE + 1000; // three chunks

async function encryptedFile(seed: number, size = SIZE) {
  const data = patternBytes(size, seed);
  const parts = encryptFileV1(masterKey, { filename: `f${seed}.jpg`, mediaType: 'photo' }, inPieces(data));
  const { chunks, sealed } = await encryptAll(parts);
  const manifest = await openManifestV1(masterKey, sealed.encryptedManifest);
  return { data, chunks, sealed, manifest, ciphertexts: chunks.map((chunk: EncryptedChunk) => chunk.ciphertext) };
}

/** Decrypt, expecting `errorClass`; returns the plaintext pieces yielded before the error. */
async function expectRejected(
  manifest: ManifestV1,
  ciphertexts: Uint8Array[],
  errorClass: abstract new (...args: never[]) => CryptoError,
) {
  const yielded: Uint8Array[] = [];
  const error = await decryptAll(decryptFile(masterKey, manifest, ciphertexts), yielded).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(errorClass);
  expect(error).toBeInstanceOf(CryptoError);
  return yielded;
}

describe('tampered chunks', () => {
  it('a flipped bit in a chunk is detected before its bytes are yielded', async () => {
    const file = await encryptedFile(1);
    for (const position of [0, 15, 16, 5000, file.ciphertexts[1]!.length - 1]) {
      const tampered = [...file.ciphertexts];
      tampered[1] = flipBit(tampered[1]!, position, 3);
      const yielded = await expectRejected(file.manifest, tampered, ChunkTampered);
      expect(yielded).toHaveLength(1); // only chunk 0, which verified
      expect(Buffer.from(yielded[0]!).equals(Buffer.from(file.data.subarray(0, CHUNK_SIZE)))).toBe(true);
    }
  });

  it('a truncated chunk is detected', async () => {
    const file = await encryptedFile(2);
    const tampered = [...file.ciphertexts];
    tampered[2] = tampered[2]!.subarray(0, tampered[2]!.length - 1);
    const yielded = await expectRejected(file.manifest, tampered, ChunkTampered);
    expect(yielded).toHaveLength(2);
  });

  it('swapped or reordered chunks are detected', async () => {
    const file = await encryptedFile(3);
    const [a, b, c] = file.ciphertexts as [Uint8Array, Uint8Array, Uint8Array];
    expect(await expectRejected(file.manifest, [b, a, c], ChunkOutOfOrder)).toHaveLength(0);
    expect(await expectRejected(file.manifest, [a, c, b], ChunkOutOfOrder)).toHaveLength(1);
    expect(await expectRejected(file.manifest, [a, a, c], ChunkOutOfOrder)).toHaveLength(1);
  });

  it('a missing last chunk or an extra chunk is detected', async () => {
    const file = await encryptedFile(4);
    await expectRejected(file.manifest, file.ciphertexts.slice(0, 2), ChunkCountMismatch);
    await expectRejected(file.manifest, [...file.ciphertexts, file.ciphertexts[2]!], ChunkCountMismatch);
    await expectRejected(file.manifest, [], ChunkCountMismatch);
  });

  it('a chunk from another file is detected, by id and by MAC', async () => {
    const file = await encryptedFile(5);
    const other = await encryptedFile(6);
    const tampered = [file.ciphertexts[0]!, other.ciphertexts[1]!, file.ciphertexts[2]!];
    expect(await expectRejected(file.manifest, tampered, ChunkTampered)).toHaveLength(1);

    // Below the id check: the MAC alone rejects another file's chunk, or a chunk at the wrong index.
    const fileKey = patternBytes(32, 8);
    const otherKey = patternBytes(32, 9);
    const baseNonce = patternBytes(16, 10);
    const plain = patternBytes(1000, 11);
    const sealed = await encryptChunkBytes(otherKey, baseNonce, 0, plain);
    await expect(decryptChunkBytes(fileKey, baseNonce, 0, sealed)).rejects.toBeInstanceOf(ChunkTampered);
    const mine = await encryptChunkBytes(fileKey, baseNonce, 0, plain);
    await expect(decryptChunkBytes(fileKey, baseNonce, 1, mine)).rejects.toBeInstanceOf(ChunkTampered);
    expect(await decryptChunkBytes(fileKey, baseNonce, 0, mine)).toEqual(plain);
  });
});

describe('tampered manifests', () => {
  it('a flipped bit in a v1 manifest box, or the wrong key, is detected', async () => {
    const file = await encryptedFile(12, 10);
    const envelope = JSON.parse(file.sealed.encryptedManifest) as { manifestNonce: string; manifestBox: string };
    const box = b64ToBytes(envelope.manifestBox);
    for (const position of [0, 20, box.length - 1]) {
      const tampered = JSON.stringify({ ...envelope, manifestBox: bytesToB64(flipBit(box, position, 7)) });
      await expect(openManifestV1(masterKey, tampered)).rejects.toBeInstanceOf(ManifestTampered);
    }
    const nonce = flipBit(b64ToBytes(envelope.manifestNonce), 4);
    const withNonce = JSON.stringify({ ...envelope, manifestNonce: bytesToB64(nonce) });
    await expect(openManifestV1(masterKey, withNonce)).rejects.toBeInstanceOf(ManifestTampered);
    await expect(openManifestV1(patternBytes(32, 99), file.sealed.encryptedManifest)).rejects.toBeInstanceOf(
      ManifestTampered,
    );
    await expect(openManifestV1(masterKey, '{"manifestNonce":1}')).rejects.toBeInstanceOf(ManifestInvalid);
  });

  it('a chunk whose plaintext size differs from the manifest is refused', async () => {
    const file = await encryptedFile(13, 10);
    const manifest = { ...file.manifest, chunkSizes: [9] };
    await expectRejected(manifest, file.ciphertexts, ChunkTampered);
  });

  it('v2: a flipped bit, changed declared chunk ids or a foreign manifest id are detected', async () => {
    const { masterKey: key } = await createVault('pw', { kdf: { memoryKiB: 64, iterations: 1, parallelism: 1 } });
    const seal = (seed: number) =>
      encryptAll(encryptFileV2(key, { filename: 'a.heic', mediaType: 'photo' }, [patternBytes(5000, seed)]));
    const { sealed } = await seal(1);
    const { sealed: otherSealed } = await seal(2);
    const envelope = JSON.parse(sealed.encryptedManifest) as { chunkIds: string[]; manifestBox: string };

    const flipped = { ...envelope, manifestBox: bytesToB64(flipBit(b64ToBytes(envelope.manifestBox), 30)) };
    const stored = (value: object, manifestId = sealed.manifestId) => ({
      manifestId,
      encryptedManifest: JSON.stringify(value),
    });
    await expect(openManifestV2(key, stored(flipped))).rejects.toBeInstanceOf(ManifestTampered);
    const otherIds = { ...envelope, chunkIds: ['0'.repeat(64)] };
    await expect(openManifestV2(key, stored(otherIds))).rejects.toBeInstanceOf(ManifestInvalid);
    await expect(openManifestV2(key, stored(envelope, otherSealed.manifestId))).rejects.toBeInstanceOf(ManifestInvalid);
    await expect(openManifestV2(patternBytes(32, 1), sealed)).rejects.toBeInstanceOf(ManifestTampered);
    expect((await openManifestV2(key, sealed)).filename).toBe('a.heic');
  });
});
