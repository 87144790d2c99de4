// A server without ffmpeg, ffprobe and exiftool (pointed at paths that do not exist): videos get a clear
// placeholder (flagged, not cached as immutable) and a recorded note, the media-tools route says what is
// missing, HEIC metadata still comes through the next reader in the chain. Restarted with the tools present,
// the same data directory gets real poster frames.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import { FIXTURE_TIMEOUT_MS, heifEnc, makeJpeg, makeMp4 } from './support/fixtures.ts';
import { decodedImage, getImage, mediaIdle, metadataOf, uploadFile } from './support/media-server.ts';

const NO_TOOLS = {
  FFMPEG_PATH: '/nonexistent/ffmpeg',
  FFPROBE_PATH: '/nonexistent/ffprobe',
  EXIFTOOL_PATH: '/nonexistent/exiftool',
};

describe('media pipeline without ffmpeg, ffprobe and exiftool', () => {
  let dir: string;
  let dataDir: string;
  let server: TestServer;
  let session: Session;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photosync-notools-'));
    dataDir = await mkdtemp(join(tmpdir(), 'photosync-notools-data-'));
    const jpeg = await makeJpeg(dir, 'source.jpg', 800, 600, {
      orientation: 6,
      dateTimeOriginal: '2022:02:02 10:00:00',
      offset: '+01:00',
      make: 'Apple',
      model: 'iPhone 15',
    });
    const heic = await heifEnc(jpeg, join(dir, 'phone.heic'));
    const video = await makeMp4(dir, 'clip.mp4', 1, '2020-05-01T10:00:00Z');
    server = await startTestServer(NO_TOOLS, dataDir);
    session = await registerUser(server.app, { email: 'notools@example.com', password: 'correct-horse-1' });
    await uploadFile(server, session, heic);
    await uploadFile(server, session, video);
    await mediaIdle(server);
  }, FIXTURE_TIMEOUT_MS);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports the missing tools', async () => {
    const response = await server.app.inject({ url: '/api/v2/server/media-tools', headers: session.headers });
    expect(response.json()).toMatchObject({ ffmpeg: false, ffprobe: false, exiftool: false });
  });

  it('serves a flagged placeholder for a video and records why', async () => {
    const metadata = await metadataOf(server.app, session, 'clip.mp4');
    expect(metadata).toMatchObject({ kind: 'video', thumb: 'placeholder', durationMs: null, job: { status: 'done' } });
    expect(metadata.job?.reason).toMatch(/ffprobe is not installed.*ffmpeg is not installed/);
    const response = await getImage(server.app, session, 'clip.mp4', 'thumbnail');
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'image/webp',
      'cache-control': 'private, no-cache',
      'x-thumbnail-placeholder': 'ffmpeg-missing',
    });
    const { width, height } = await sharp(response.rawPayload).metadata();
    expect([width, height]).toEqual([256, 144]);
  });

  it('reads heif-enc HEIC metadata from the EXIF block libvips extracts, and decodes it with heic-decode', async () => {
    const metadata = await metadataOf(server.app, session, 'phone.heic');
    expect(metadata).toMatchObject({
      capturedAt: '2022-02-02T10:00:00+01:00',
      cameraMake: 'Apple',
      cameraModel: 'iPhone 15',
      orientation: 6,
      width: 600,
      height: 800,
      metadataSource: 'sharp',
      thumb: 'ready',
    });
    const grid = await decodedImage(server.app, session, 'phone.heic', 'thumbnail');
    expect([grid.width, grid.height]).toEqual([192, 256]);
  });

  it('makes the real poster frame once restarted with ffmpeg', async () => {
    await server.close();
    server = await startTestServer({}, dataDir);
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { email: 'notools@example.com', password: 'correct-horse-1', device_uuid: session.deviceUuid },
    });
    expect(login.statusCode).toBe(200);
    const headers = {
      authorization: `Bearer ${login.json<{ token: string }>().token}`,
      'x-device-uuid': session.deviceUuid,
    };
    session = { ...session, headers };
    await mediaIdle(server);
    const metadata = await metadataOf(server.app, session, 'clip.mp4');
    expect(metadata).toMatchObject({
      thumb: 'ready',
      metadataSource: 'ffprobe',
      job: { status: 'done', reason: null },
    });
    expect(metadata.durationMs).toBeGreaterThan(900);
    const response = await getImage(server.app, session, 'clip.mp4', 'thumbnail');
    expect(response.headers['x-thumbnail-placeholder']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('private, max-age=31536000, immutable');
  });
});
