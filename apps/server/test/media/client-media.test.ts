// The typed client (`client.media.*`) against a real server on a loopback port: every media call, answers
// validated by the protocol schemas, and conditional image requests.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createClient, type PhotoSyncClient } from '@photosync/client';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { FIXTURE_TIMEOUT_MS, makeJpeg } from './support/fixtures.ts';
import { mediaIdle } from './support/media-server.ts';

describe('client.media', () => {
  let dir: string;
  let server: TestServer;
  let client: PhotoSyncClient;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photosync-client-media-'));
    server = await startTestServer();
    const baseUrl = await server.listen();
    const session = await createClient({ baseUrl }).register({
      email: 'client-media@example.com',
      password: 'correct-horse-1',
      deviceUuid: 'client-media-device',
    });
    client = createClient({ baseUrl, auth: { token: session.token, deviceUuid: 'client-media-device' } });
    const jpeg = await makeJpeg(dir, 'photo.jpg', 900, 600, {
      dateTimeOriginal: '2023:08:01 18:00:00',
      offset: '+02:00',
    });
    await client.upload(await readFile(jpeg), { filename: 'Été 2023.jpg', mediaType: 'image/jpeg' });
    await mediaIdle(server);
  }, FIXTURE_TIMEOUT_MS);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await server.close();
  });

  it('reads the timeline, months and metadata', async () => {
    const page = await client.media.timeline({ limit: 10 });
    expect(page.nextCursor).toBeNull();
    expect(page.items).toMatchObject([{ filename: 'Été 2023.jpg', capturedAt: '2023-08-01T18:00:00+02:00' }]);
    expect(await client.media.months()).toEqual({ months: [{ month: '2023-08', count: 1 }] });
    const metadata = await client.media.metadata('Été 2023.jpg');
    expect(metadata).toMatchObject({ width: 900, height: 600, thumb: 'ready', job: { status: 'done' } });
    expect(await client.media.tools()).toMatchObject({ ffmpeg: true, ffprobe: true });
  });

  it('fetches thumbnail and preview, then 304 with the ETag', async () => {
    const { sha256 } = await client.media.metadata('Été 2023.jpg');
    const thumbnail = await client.media.thumbnail('Été 2023.jpg', { version: sha256 });
    expect(thumbnail.status).toBe(200);
    const grid = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    expect([grid.width, grid.height]).toEqual([256, 171]);
    const etag = thumbnail.headers.get('etag') ?? '';
    expect((await client.media.thumbnail('Été 2023.jpg', { ifNoneMatch: etag })).status).toBe(304);
    const preview = await client.media.preview('Été 2023.jpg');
    const large = await sharp(Buffer.from(await preview.arrayBuffer())).metadata();
    expect([large.width, large.height]).toEqual([900, 600]);
  });

  it('turns a 404 into an ApiError with the code', async () => {
    const failure = await client.media.thumbnail('missing.jpg').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});
