/**
 * Format v1 known answers: the vectors written by the original client (a copy of ../shared/vectors/stealthcloud-v1 in ./vectors, so the tests run from any checkout)
 * decrypt byte-exact, and the key, device id and manifest id derivations give the published values.
 */
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  decryptFile,
  deriveMasterKeyV1,
  deviceUuidV1,
  manifestIdV1Hex,
  openManifestV1,
  type ManifestV1,
} from '../src/index.ts';
import { decryptAll, sha256Hex } from './helpers.ts';

const VECTORS = new URL('./vectors/stealthcloud-v1/', import.meta.url);
const EMAIL = 'vector@example.com';
const PASSWORD = 'correct horse battery staple';

const EXPECTED_FILES: Record<string, string> = {
  'IMG_0001.jpg': 'add42daec24751730b72156cd422cb4dcbc1accf7cb5fcb70b3b5060a5fde955',
  'beach.png': '63f4f50cfffba961161eb4f044dc8a8c022bfe91aa8cd730c3fee7bdd3a8e476',
  'clip.mp4': 'fbca45faa0a52b2829314630af7de2ba88bd71e68bce7d139b4fbfd25b393dfd',
  'exact-2mib.bin': '42a34df9f3f02bb9d3331ddc81eac8e5ab5fc196a3f91c470d5a0f14fdf830af',
  'note.txt': '6ad7c2eb506cc8d45fd0fca37c224d387820aa4f45cbaa4c73afe775d022f9fc',
  'two-chunks.bin': '92dea57884d491a83d0451e36f9ec06fc6ab48c373da658daa2db0e1da3cc2a4',
};

interface StoredVector {
  manifestId: string;
  encryptedManifest: string;
  createdAt: string;
}

async function storedManifests(): Promise<StoredVector[]> {
  const names = (await readdir(new URL('manifests/', VECTORS))).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(
    names.map(
      async (name) => JSON.parse(await readFile(new URL(`manifests/${name}`, VECTORS), 'utf8')) as StoredVector,
    ),
  );
}

async function* chunksOf(manifest: ManifestV1) {
  for (const id of manifest.chunkIds) yield new Uint8Array(await readFile(new URL(`chunks/${id}`, VECTORS)));
}

describe('format v1 known answers', () => {
  it('derives the published master key (PBKDF2-HMAC-SHA256, 30 000 iterations, salt = email)', async () => {
    const key = await deriveMasterKeyV1(EMAIL, PASSWORD);
    expect(bytesToHex(key)).toBe('1a7e172418ed2b1a9e28007519dac8085dd18a2ac9168915c62c42c17fc5319b');
    expect(bytesToHex(await deriveMasterKeyV1('  Vector@Example.COM ', PASSWORD))).toBe(bytesToHex(key));
  });

  it('derives the published device UUIDs (UUIDv5 of "email:password")', async () => {
    expect(await deviceUuidV1('carol@example.com', 'carol-pass-123')).toBe('efc54bd8-402a-5d20-a27c-c13700c2c6e3');
    expect(await deviceUuidV1(EMAIL, PASSWORD)).toBe('6c9e84a9-68a6-5150-8445-eb18951f6d29');
    expect(await deviceUuidV1('carol@example.com', 'carol-pass-124')).not.toBe('efc54bd8-402a-5d20-a27c-c13700c2c6e3');
  });

  it('computes the published manifest id from name and size', async () => {
    const id = 'b6c25604ff906b529882e0908bc04bfd6871692100929ba8145e7cc496c2b758';
    expect(await manifestIdV1Hex('IMG_0001.jpg', 53_896)).toBe(id);
    expect(await manifestIdV1Hex('  img_0001.JPG ', 53_896)).toBe(id);
    expect(await manifestIdV1Hex('IMG_0001.jpg', 53_897)).not.toBe(id);
  });

  it('decrypts all six vectors byte-exact, with their manifest ids and file hashes', async () => {
    const masterKey = await deriveMasterKeyV1(EMAIL, PASSWORD);
    const stored = await storedManifests();
    expect(stored).toHaveLength(6);
    const seen: string[] = [];
    for (const vector of stored) {
      const manifest = await openManifestV1(masterKey, vector.encryptedManifest);
      seen.push(manifest.filename);
      expect(await manifestIdV1Hex(manifest.filename, manifest.originalSize)).toBe(vector.manifestId);
      expect(manifest.fileHash).toBe(EXPECTED_FILES[manifest.filename]);

      const plaintext = await decryptAll(decryptFile(masterKey, manifest, chunksOf(manifest)));
      const original = new Uint8Array(await readFile(new URL(`plain/${manifest.filename}`, VECTORS)));
      expect(plaintext.length).toBe(original.length);
      expect(Buffer.from(plaintext).equals(Buffer.from(original))).toBe(true);
      expect(sha256Hex(plaintext)).toBe(EXPECTED_FILES[manifest.filename]);
    }
    expect(seen.sort()).toEqual(Object.keys(EXPECTED_FILES).sort());
  });

  it('reads the manifest fields the original client wrote', async () => {
    const masterKey = await deriveMasterKeyV1(EMAIL, PASSWORD);
    const manifests = await Promise.all(
      (await storedManifests()).map((vector) => openManifestV1(masterKey, vector.encryptedManifest)),
    );
    const byName = new Map(manifests.map((manifest) => [manifest.filename, manifest]));
    expect(byName.get('clip.mp4')?.mediaType).toBe('video');
    expect(byName.get('beach.png')?.perceptualHash).toBe('0000000000000000');
    expect(byName.get('exact-2mib.bin')?.chunkSizes).toEqual([2_097_152]);
    expect(byName.get('two-chunks.bin')?.chunkSizes).toEqual([2_097_152, 1]);
    expect(byName.get('note.txt')?.originalSize).toBe(19);
  });
});
