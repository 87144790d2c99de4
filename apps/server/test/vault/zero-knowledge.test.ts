// Zero knowledge: back up photos through the HTTP API with the real client crypto (format v2 with stored key
// attributes, and format v1 as existing phones write it), then read every byte the server keeps — files and
// SQLite (db, wal) — looking for the plaintext, the file names and the password. None may be there. Then a
// new device restores everything through the API and gets the original bytes back.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVault,
  declaredChunkIds,
  decryptFile,
  deriveMasterKeyV1,
  deviceUuidV1,
  encryptFileV1,
  encryptFileV2,
  openManifestV1,
  openManifestV2,
  parseKeyAttributes,
  unlockWithPassword,
  type ChunkFields,
  type EncryptedChunk,
  type SealedManifest,
} from '@photosync/crypto';
import { sha256, walk } from '../support/library.ts';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import { postChunk, postChunkMultipart, postManifest, vaultCall } from '../support/vault.ts';

const PASSWORD = 'Quokka-Lantern-Fjord-5521!';
const MAKE = 'ZeroKnowCam';
const MODEL = 'Model-ZK-42';
const VECTOR_JPEG = new URL(
  '../../../../packages/crypto/test/vectors/stealthcloud-v1/plain/IMG_0001.jpg',
  import.meta.url,
);

/** JPEG-like bytes: SOI/APP1 header, EXIF-ish text, a recognisable marker repeated among random bytes, EOI. */
function jpegLike(marker: string, size: number): Buffer {
  const head = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), Buffer.from(`Exif\0\0${MAKE} ${MODEL} `)]);
  const pieces = [head];
  let length = head.length;
  while (length < size - 2) {
    const piece = Buffer.concat([Buffer.from(`<<${marker}>>`), randomBytes(4000)]);
    pieces.push(piece);
    length += piece.length;
  }
  return Buffer.concat([...pieces, Buffer.from([0xff, 0xd9])]).subarray(0, size);
}

interface Fixture {
  readonly filename: string;
  readonly bytes: Buffer;
  readonly marker?: string;
}

describe('zero knowledge: the server stores nothing readable', () => {
  let dataDir: string;
  let server: TestServer | undefined;
  let fixtures: Fixture[];
  let v2: Session;
  let v1: Session;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'photosync-zk-'));
    fixtures = [
      { filename: 'IMG_0001.jpg', bytes: await readFile(VECTOR_JPEG) },
      { filename: 'Strandurlaub_Sylt_Familie.jpg', bytes: jpegLike('BEACH-PLAINTEXT-7781', 60_000), marker: 'BEACH' },
      // Over two chunks: 2 MiB + 2 MiB + a tail.
      { filename: 'Geburtstag_Oma_große_Torte.jpg', bytes: jpegLike('CAKE-PLAINTEXT-3319', 4_500_000), marker: 'CAKE' },
    ];
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  type Part = EncryptedChunk | SealedManifest<unknown>;
  async function backUp(session: Session, parts: AsyncIterable<Part>, declareChunks: boolean): Promise<void> {
    const app = server!.app;
    let sent = 0;
    for await (const part of parts) {
      if (part.kind === 'chunk') {
        // Alternate the two upload forms phones use.
        const bytes = Buffer.from(part.ciphertext);
        const send = sent++ % 2 === 0 ? postChunk : postChunkMultipart;
        expect((await send(app, session, bytes, part.chunkId)).json()).toEqual({ chunkId: part.chunkId, stored: true });
        continue;
      }
      const chunkIds = declaredChunkIds(part.encryptedManifest);
      expect(chunkIds !== null).toBe(declareChunks);
      const stored = await postManifest(app, session, {
        manifestId: part.manifestId,
        encryptedManifest: part.encryptedManifest,
        chunkCount: part.chunkCount,
        ...(declareChunks ? { chunkIds } : {}),
      });
      expect(stored.json()).toEqual({ ok: true, manifestId: part.manifestId });
    }
  }

  it('backs up three photos in format v2 and format v1 through the API', async () => {
    server = await startTestServer({}, dataDir);
    v2 = await registerUser(server.app, { email: 'zk-v2@example.com', password: PASSWORD });
    const vault = await createVault(PASSWORD);
    const keys = await vaultCall(server.app, v2, 'PUT', '/api/v2/vault/keys', { keyAttributes: vault.keyAttributes });
    expect(keys.statusCode).toBe(200);
    const v1Email = 'zk-v1@example.com';
    v1 = await registerUser(server.app, {
      email: v1Email,
      password: PASSWORD,
      deviceUuid: await deviceUuidV1(v1Email, PASSWORD),
    });
    const v1Key = await deriveMasterKeyV1(v1Email, PASSWORD);
    for (const { filename, bytes } of fixtures) {
      const metadata = { filename, mediaType: 'photo' as const, exifMake: MAKE, exifModel: MODEL };
      await backUp(v2, encryptFileV2(vault.masterKey, metadata, [bytes]), true);
      await backUp(v1, encryptFileV1(v1Key, metadata, [bytes]), false);
    }
    for (const session of [v1, v2]) {
      const list = await vaultCall(server.app, session, 'GET', '/api/cloud/manifests');
      expect(list.json()).toMatchObject({ total: 3 });
    }
    await server.close();
    server = undefined;
  });

  it('stores no plaintext window, file name or password in any file, database included', async () => {
    const paths = (await walk(dataDir)).filter((path) => !path.endsWith('/'));
    expect(paths).toContain('backup.db');
    const stored = await Promise.all(paths.map(async (path) => ({ path, bytes: await readFile(join(dataDir, path)) })));
    const findings = (needle: Buffer) => stored.filter((file) => file.bytes.includes(needle)).map((file) => file.path);
    // Positive controls: the scan does see the database and the chunk files.
    expect(findings(Buffer.from('zk-v2@example.com'))).toContain('backup.db');
    expect(stored.filter((file) => file.path.startsWith('vault/')).length).toBe(2 * 5); // 1 + 1 + 3 chunks each

    const needles: { what: string; bytes: Buffer }[] = [];
    for (const { filename, bytes, marker } of fixtures) {
      for (const at of [0, 100, 1000, bytes.length / 3, bytes.length / 2, (bytes.length * 3) / 4, bytes.length - 32]) {
        const offset = Math.floor(at);
        needles.push({ what: `${filename} plaintext @${offset}`, bytes: bytes.subarray(offset, offset + 32) });
      }
      if (marker) needles.push({ what: `${filename} marker`, bytes: Buffer.from(marker) });
      const stem = filename.replace(/\.jpg$/, '');
      for (const encoding of ['utf8', 'utf16le'] as const) {
        needles.push({ what: `${filename} name (${encoding})`, bytes: Buffer.from(filename, encoding) });
        needles.push({ what: `${stem} stem (${encoding})`, bytes: Buffer.from(stem, encoding) });
      }
    }
    for (const encoding of ['utf8', 'utf16le'] as const) {
      needles.push({ what: `password (${encoding})`, bytes: Buffer.from(PASSWORD, encoding) });
      needles.push({ what: `camera make (${encoding})`, bytes: Buffer.from(MAKE, encoding) });
      needles.push({ what: `camera model (${encoding})`, bytes: Buffer.from(MODEL, encoding) });
    }
    const leaks = needles.map(({ what, bytes }) => ({ what, in: findings(bytes) })).filter((l) => l.in.length > 0);
    expect(leaks).toEqual([]);
  });

  it('restores every photo on a new device through the API, byte-exact', async () => {
    server = await startTestServer({}, dataDir);
    const app = server.app;
    const login = async (email: string, deviceUuid: string): Promise<Session> => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/login',
        payload: { email, password: PASSWORD, device_uuid: deviceUuid },
      });
      expect(response.statusCode).toBe(200);
      const { token, userId } = response.json<{ token: string; userId: number }>();
      return {
        token,
        userId,
        email,
        deviceUuid,
        headers: { authorization: `Bearer ${token}`, 'x-device-uuid': deviceUuid },
      };
    };
    const fetchChunks = async function* (session: Session, ids: readonly string[]) {
      for (const id of ids) {
        const response = await vaultCall(app, session, 'GET', `/api/cloud/chunks/${id}`);
        expect(response.statusCode).toBe(200);
        yield new Uint8Array(response.rawPayload);
      }
    };
    const restoreAll = async (
      session: Session,
      open: (manifestId: string, encryptedManifest: string) => Promise<ChunkFields & { filename: string }>,
      masterKey: Uint8Array,
    ): Promise<Map<string, string>> => {
      const restored = new Map<string, string>();
      const list = await vaultCall(app, session, 'GET', '/api/cloud/manifests');
      for (const { manifestId } of list.json<{ manifests: { manifestId: string }[] }>().manifests) {
        const body = (await vaultCall(app, session, 'GET', `/api/cloud/manifests/${manifestId}`)).json<{
          encryptedManifest: string;
        }>();
        const manifest = await open(manifestId, body.encryptedManifest);
        const pieces: Buffer[] = [];
        for await (const plain of decryptFile(masterKey, manifest, fetchChunks(session, manifest.chunkIds))) {
          pieces.push(Buffer.from(plain));
        }
        restored.set(manifest.filename, sha256(Buffer.concat(pieces)));
      }
      return restored;
    };
    const expected = new Map(fixtures.map(({ filename, bytes }) => [filename, sha256(bytes)]));

    // v2: the password alone unlocks the key attributes stored on the server.
    const newPhone = await login('zk-v2@example.com', 'new-phone-v2');
    const stored = await vaultCall(app, newPhone, 'GET', '/api/v2/vault/keys');
    const keyAttributes = parseKeyAttributes(stored.json<{ keyAttributes: unknown }>().keyAttributes);
    const masterKey = await unlockWithPassword(keyAttributes, PASSWORD);
    const openV2 = (manifestId: string, encryptedManifest: string) =>
      openManifestV2(masterKey, { manifestId, encryptedManifest });
    expect(await restoreAll(newPhone, openV2, masterKey)).toEqual(expected);

    // v1: the key derives from email and password, as on existing phones.
    const v1Key = await deriveMasterKeyV1('zk-v1@example.com', PASSWORD);
    const v1Phone = await login('zk-v1@example.com', await deviceUuidV1('zk-v1@example.com', PASSWORD));
    const openV1 = (_id: string, encryptedManifest: string) => openManifestV1(v1Key, encryptedManifest);
    expect(await restoreAll(v1Phone, openV1, v1Key)).toEqual(expected);
  });
});
