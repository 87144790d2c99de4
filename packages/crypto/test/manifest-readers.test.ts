/**
 * Manifest readers: v1 readers accept what other v1 writers put in a manifest (the size, modificationTime and
 * takenAt aliases, a zero-chunk empty file, unknown media types), and both readers refuse authenticated
 * manifests whose chunk fields are inconsistent.
 */
import { describe, expect, it } from 'vitest';
import {
  CHUNK_SIZE,
  ManifestInvalid,
  UnsupportedFormat,
  bytesToB64,
  declaredChunkIds,
  decryptFile,
  envelopeVersion,
  loadSodium,
  openManifestV1,
  readManifestV2,
} from '../src/index.ts';
import { decryptAll, patternBytes, sha256Hex } from './helpers.ts';

const masterKey = patternBytes(32, 21);

/** Seal arbitrary manifest JSON the way any v1 writer does. */
async function sealV1(manifest: object): Promise<string> {
  const sodium = await loadSodium();
  const nonce = sodium.randomBytes(24);
  const box = sodium.secretboxSeal(new TextEncoder().encode(JSON.stringify(manifest)), nonce, masterKey);
  return JSON.stringify({ manifestNonce: bytesToB64(nonce), manifestBox: bytesToB64(box) });
}

async function emptyFileFields() {
  const sodium = await loadSodium();
  const wrapNonce = sodium.randomBytes(24);
  return {
    baseNonce16: bytesToB64(sodium.randomBytes(16)),
    wrapNonce: bytesToB64(wrapNonce),
    wrappedFileKey: bytesToB64(sodium.secretboxSeal(sodium.randomBytes(32), wrapNonce, masterKey)),
    chunkIds: [] as string[],
    chunkSizes: [] as number[],
    fileHash: sha256Hex(new Uint8Array(0)),
  };
}

describe('v1 manifest readers', () => {
  it('accept the size, modificationTime and takenAt aliases', async () => {
    const fields = await emptyFileFields();
    const sealed = await sealV1({
      v: 1,
      filename: 'old-phone.jpg',
      mediaType: 'livePhoto',
      size: 0,
      modificationTime: 1_600_000_000_000,
      takenAt: '2020:09:13 12:26:40',
      ...fields,
    });
    const manifest = await openManifestV1(masterKey, sealed);
    expect(manifest).toMatchObject({
      v: 1,
      assetId: 'old-phone.jpg',
      filename: 'old-phone.jpg',
      mediaType: 'livePhoto',
      originalSize: 0,
      creationTime: 1_600_000_000_000,
      exifCaptureTime: '2020:09:13 12:26:40',
      exifMake: null,
      perceptualHash: null,
    });
    // An empty file stored with no chunk at all decrypts to nothing.
    expect(await decryptAll(decryptFile(masterKey, manifest, []))).toHaveLength(0);
  });

  it('prefer the canonical field when both it and its alias are present', async () => {
    const sealed = await sealV1({
      filename: 'both.jpg',
      originalSize: 0,
      size: 99,
      creationTime: 5,
      modificationTime: 6,
      ...(await emptyFileFields()),
    });
    expect(await openManifestV1(masterKey, sealed)).toMatchObject({ originalSize: 0, creationTime: 5 });
  });

  it('refuse authenticated manifests with inconsistent chunk fields', async () => {
    const fields = await emptyFileFields();
    const cases: object[] = [
      { filename: 'a', originalSize: 1, ...fields },
      { filename: 'a', originalSize: 0, ...fields, chunkSizes: [0] },
      { filename: 'a', originalSize: 0, ...fields, chunkIds: ['XYZ'], chunkSizes: [0] },
      { filename: 'a', originalSize: 0, ...fields, wrapNonce: bytesToB64(new Uint8Array(23)) },
      { filename: 'a', originalSize: 0, ...fields, fileHash: 'abc' },
      { originalSize: 0, ...fields },
      { v: 2, filename: 'a', originalSize: 0, ...fields },
    ];
    for (const manifest of cases) {
      await expect(openManifestV1(masterKey, await sealV1(manifest))).rejects.toBeInstanceOf(ManifestInvalid);
    }
  });
});

describe('envelopes and v2 readers', () => {
  it('tell versions apart without a key and refuse unknown ones', () => {
    const v1 = JSON.stringify({ manifestNonce: 'AAAA', manifestBox: 'AAAA' });
    expect(envelopeVersion(v1)).toBe(1);
    expect(declaredChunkIds(v1)).toBeNull();
    const ids = ['a'.repeat(64)];
    expect(declaredChunkIds(JSON.stringify({ v: 2, chunkIds: ids, manifestNonce: '', manifestBox: '' }))).toEqual(ids);
    expect(() => envelopeVersion(JSON.stringify({ v: 3, manifestNonce: '', manifestBox: '' }))).toThrow(
      UnsupportedFormat,
    );
    expect(() => envelopeVersion('not json')).toThrow(ManifestInvalid);
    expect(() => declaredChunkIds(JSON.stringify({ v: 2, manifestNonce: '', manifestBox: '' }))).toThrow(
      ManifestInvalid,
    );
  });

  it('v2 insists on full 2 MiB chunks before the last one', async () => {
    const fields = await emptyFileFields();
    const ids = ['a'.repeat(64), 'b'.repeat(64)];
    const base = { v: 2, chunkSize: CHUNK_SIZE, filename: 'x', ...fields, chunkIds: ids };
    const good = { ...base, originalSize: CHUNK_SIZE + 1, chunkSizes: [CHUNK_SIZE, 1] };
    expect(readManifestV2(good, ids).chunkSizes).toEqual([CHUNK_SIZE, 1]);
    const short = { ...base, originalSize: 11, chunkSizes: [10, 1] };
    expect(() => readManifestV2(short, ids)).toThrow(ManifestInvalid);
    const emptyLast = { ...base, originalSize: CHUNK_SIZE, chunkSizes: [CHUNK_SIZE, 0] };
    expect(() => readManifestV2(emptyLast, ids)).toThrow(ManifestInvalid);
    expect(() => readManifestV2({ ...good, chunkSize: 1 << 20 }, ids)).toThrow(ManifestInvalid);
    expect(() => readManifestV2(good, [...ids].reverse())).toThrow(ManifestInvalid);
  });
});
