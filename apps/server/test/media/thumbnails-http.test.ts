// Thumbnail and preview endpoints: long-lived cache headers, ETags and 304s, 404 JSON while not made yet or
// for unknown files, account isolation (B never sees A's pictures, even under the same file name), and every
// way of deleting (one file, purge, the account) removes the derived files too.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createContext, loadConfig } from '../../src/index.ts';
import { walk } from '../support/library.ts';
import { registerUser, startTestServer, uploadRaw, type Session, type TestServer } from '../support/test-server.ts';
import { FIXTURE_TIMEOUT_MS, makeJpeg } from './support/fixtures.ts';
import { getImage, mediaIdle, metadataOf, uploadFile } from './support/media-server.ts';

const accountUuid = async (server: TestServer, session: Session) =>
  (
    await server.context.db
      .selectFrom('accounts')
      .select('uuid')
      .where('email', '=', session.email)
      .executeTakeFirstOrThrow()
  ).uuid;

describe('thumbnail endpoints', () => {
  let dir: string;
  let server: TestServer;
  let alice: Session;
  let bob: Session;
  let aliceFile: string;
  let bobFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photosync-thumbs-'));
    aliceFile = await makeJpeg(dir, 'alice.jpg', 800, 600);
    bobFile = await makeJpeg(dir, 'bob.jpg', 600, 800);
    server = await startTestServer();
    alice = await registerUser(server.app);
    bob = await registerUser(server.app);
    await uploadFile(server, alice, aliceFile, 'IMG_0001.jpg');
    await uploadFile(server, alice, await makeJpeg(dir, 'other.jpg', 400, 300), 'second.jpg');
    await mediaIdle(server);
  }, FIXTURE_TIMEOUT_MS);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await server.close();
  });

  it('serves WebP with immutable caching and a content ETag; If-None-Match gives 304', async () => {
    const { sha256 } = await metadataOf(server.app, alice, 'IMG_0001.jpg');
    const thumbnail = await getImage(server.app, alice, 'IMG_0001.jpg', 'thumbnail');
    expect(thumbnail.statusCode).toBe(200);
    expect(thumbnail.headers).toMatchObject({
      'content-type': 'image/webp',
      'cache-control': 'private, max-age=31536000, immutable',
      etag: `"${sha256}-grid-v1"`,
      'content-length': String(thumbnail.rawPayload.length),
    });
    const preview = await getImage(server.app, alice, 'IMG_0001.jpg', 'preview');
    expect(preview.headers.etag).toBe(`"${sha256}-preview-v1"`);
    const again = await getImage(server.app, alice, 'IMG_0001.jpg', 'thumbnail', {
      'if-none-match': String(thumbnail.headers.etag),
    });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect(again.headers.etag).toBe(thumbnail.headers.etag);
    const stale = await getImage(server.app, alice, 'IMG_0001.jpg', 'thumbnail', { 'if-none-match': '"other"' });
    expect(stale.statusCode).toBe(200);
    const versioned = await server.app.inject({
      url: `/api/v2/files/IMG_0001.jpg/thumbnail?v=${sha256}`,
      headers: alice.headers,
    });
    expect(versioned.rawPayload).toEqual(thumbnail.rawPayload);
  });

  it('answers 404 JSON for unknown files and without a session 401', async () => {
    const unknown = await getImage(server.app, alice, 'nope.jpg', 'thumbnail');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    const anonymous = await server.app.inject({ url: '/api/v2/files/IMG_0001.jpg/thumbnail' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('isolates accounts: B cannot fetch A’s pictures or metadata, even under the same name', async () => {
    for (const variant of ['thumbnail', 'preview'] as const) {
      const response = await getImage(server.app, bob, 'IMG_0001.jpg', variant);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
    const metadata = await server.app.inject({ url: '/api/v2/files/IMG_0001.jpg/metadata', headers: bob.headers });
    expect(metadata.statusCode).toBe(404);
    const timeline = await server.app.inject({ url: '/api/v2/timeline', headers: bob.headers });
    expect(timeline.json()).toEqual({ items: [], nextCursor: null });
    await uploadFile(server, bob, bobFile, 'IMG_0001.jpg');
    await mediaIdle(server);
    const bobs = await getImage(server.app, bob, 'IMG_0001.jpg', 'thumbnail');
    const alices = await getImage(server.app, alice, 'IMG_0001.jpg', 'thumbnail');
    expect(bobs.statusCode).toBe(200);
    expect(bobs.headers.etag).not.toBe(alices.headers.etag);
    expect(bobs.rawPayload).not.toEqual(alices.rawPayload);
  });

  it('deleting a file, purging and deleting the account remove the thumbnails', async () => {
    const thumbs = join(server.dataDir, 'thumbs');
    const aliceDir = join(thumbs, await accountUuid(server, alice));
    const bobDir = join(thumbs, await accountUuid(server, bob));
    const { sha256 } = await metadataOf(server.app, alice, 'second.jpg');
    expect((await walk(aliceDir)).filter((path) => path.includes(sha256))).toHaveLength(2);
    const deleted = await server.app.inject({
      method: 'DELETE',
      url: '/api/v2/files/second.jpg',
      headers: alice.headers,
    });
    expect(deleted.statusCode).toBe(200);
    expect((await walk(aliceDir)).filter((path) => path.includes(sha256))).toEqual([]);
    expect((await walk(aliceDir)).filter((path) => path.endsWith('.webp'))).toHaveLength(2); // IMG_0001.jpg's

    await server.app.inject({ method: 'POST', url: '/api/files/purge', headers: alice.headers });
    expect(await readdir(aliceDir).catch(() => 'gone')).toBe('gone');

    expect((await walk(bobDir)).filter((path) => path.endsWith('.webp'))).toHaveLength(2);
    await server.app.inject({ method: 'DELETE', url: '/api/account', headers: bob.headers });
    expect(await readdir(bobDir).catch(() => 'gone')).toBe('gone');
  });

  it('reports the media tools it found', async () => {
    const response = await server.app.inject({ url: '/api/v2/server/media-tools', headers: alice.headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ffmpeg: true, ffprobe: true, exiftool: true });
    expect(['sharp', 'heic-decode']).toContain(response.json<{ heic: string }>().heic);
  });
});

describe('before a file is processed', () => {
  it('says the thumbnail is pending (404 THUMBNAIL_PENDING) and the job is queued', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'photosync-pending-'));
    // Without start-up work the queue does not run (as for admin commands next to a running server).
    const context = await createContext(loadConfig({ PHOTOSYNC_DATA_DIR: dataDir }), { recover: false });
    const app = await buildApp(context);
    try {
      const session = await registerUser(app);
      const jpeg = await makeJpeg(dataDir, 'x.jpg', 64, 48);
      expect((await uploadRaw(app, session, 'x.jpg', await readFile(jpeg))).statusCode).toBe(200);
      await context.media.queue.whenIdle();
      const response = await app.inject({ url: '/api/v2/files/x.jpg/thumbnail', headers: session.headers });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'THUMBNAIL_PENDING' });
      const metadata = await metadataOf(app, session, 'x.jpg');
      expect(metadata).toMatchObject({ thumb: 'pending', metadataStatus: 'pending', job: { status: 'queued' } });
      const timeline = await app.inject({ url: '/api/v2/timeline', headers: session.headers });
      expect(timeline.json<{ items: { thumb: string }[] }>().items[0]?.thumb).toBe('pending');
    } finally {
      await app.close();
      await context.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
