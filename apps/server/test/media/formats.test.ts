// Real files of every supported format through the real pipeline (upload → queue → metadata + thumbnails):
// thumbnails are decoded and must be the right way up and the right size, and the metadata must be what the
// tools wrote (capture time with offset, camera, GPS). HEIC comes from two producers: heif-enc (whose EXIF
// exifr calls malformed) and ImageMagick.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import {
  convertTo,
  FIXTURE_TIMEOUT_MS,
  heifEnc,
  imageMagickWritesHeic,
  makeGif,
  makeJpeg,
  makeMp4,
  type ExifInput,
} from './support/fixtures.ts';
import { decodedImage, getImage, mediaIdle, metadataOf, uploadFile } from './support/media-server.ts';

const EXIF: ExifInput = {
  orientation: 6,
  dateTimeOriginal: '2021:06:15 14:30:00',
  offset: '+02:00',
  make: 'Canon',
  model: 'EOS R5',
  latitude: -33.5,
  longitude: -70.25,
};

/** Mean absolute difference of two same-sized RGB images, 0–255. */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const [left, right] = await Promise.all([a, b].map((image) => sharp(image).removeAlpha().raw().toBuffer()));
  if (!left || !right || left.length !== right.length) return 255;
  let sum = 0;
  for (let i = 0; i < left.length; i += 1) sum += Math.abs((left[i] ?? 0) - (right[i] ?? 0));
  return sum / left.length;
}

describe('media pipeline: formats', () => {
  let dir: string;
  let server: TestServer;
  let session: Session;
  let startedAt: number;
  /** The source picture turned upright by libvips, at grid size, and the same turned the wrong way. */
  let upright: Buffer;
  let upsideDown: Buffer;

  const photos: [label: string, filename: string, metadataSource: string][] = [
    ['JPEG', 'photo.jpg', 'exifr'],
    ['PNG', 'photo.png', 'exifr'],
    ['WebP', 'photo.webp', 'exiftool'],
    ['AVIF', 'photo.avif', 'exifr'],
    ['HEIC from heif-enc', 'heif-enc.heic', 'exiftool'],
    ['HEIC from ImageMagick', 'imagemagick.heic', 'exifr'],
  ];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photosync-formats-'));
    const plain = await makeJpeg(dir, 'plain.jpg', 1600, 1200);
    const jpeg = await convertTo(plain, join(dir, 'photo.jpg'), EXIF);
    expect(await imageMagickWritesHeic(), 'ImageMagick must write HEIC (libheif delegate)').toBe(true);
    const files = [
      jpeg,
      await convertTo(plain, join(dir, 'photo.png'), EXIF),
      await convertTo(plain, join(dir, 'photo.webp'), EXIF),
      await convertTo(plain, join(dir, 'photo.avif'), EXIF),
      await heifEnc(jpeg, join(dir, 'heif-enc.heic')),
      await convertTo(plain, join(dir, 'imagemagick.heic'), EXIF),
      await makeGif(dir, 'animation.gif', 400, 300),
      await makeMp4(dir, 'clip.mp4', 2, '2020-05-01T10:00:00Z'),
      await makeJpeg(dir, 'no-exif.jpg', 800, 600),
    ];
    const fit = { width: 256, height: 256, fit: 'inside' as const };
    upright = await sharp(jpeg).autoOrient().resize(fit).png().toBuffer();
    upsideDown = await sharp(jpeg).autoOrient().rotate(180).resize(fit).png().toBuffer();
    server = await startTestServer();
    session = await registerUser(server.app);
    startedAt = Date.now();
    for (const file of files) await uploadFile(server, session, file);
    await mediaIdle(server);
  }, FIXTURE_TIMEOUT_MS);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await server.close();
  });

  it.each(photos)(
    '%s: portrait thumbnail (fits 256) and preview (fits 1440), the right way up',
    async (_label, name) => {
      const grid = await decodedImage(server.app, session, name, 'thumbnail');
      expect([grid.format, grid.width, grid.height]).toEqual(['webp', 192, 256]);
      const preview = await decodedImage(server.app, session, name, 'preview');
      expect([preview.format, preview.width, preview.height]).toEqual(['webp', 1080, 1440]);
      const bytes = (await getImage(server.app, session, name, 'thumbnail')).rawPayload;
      const right = await difference(bytes, upright);
      expect(right).toBeLessThan(12);
      expect(right).toBeLessThan((await difference(bytes, upsideDown)) / 2);
    },
  );

  it.each(photos)('%s: capture time with offset, camera, GPS, displayed size', async (_label, name, source) => {
    const metadata = await metadataOf(server.app, session, name);
    expect(metadata).toMatchObject({
      kind: 'photo',
      capturedAt: '2021-06-15T14:30:00+02:00',
      capturedAtSource: 'exif',
      width: 1200,
      height: 1600,
      orientation: 6,
      cameraMake: 'Canon',
      cameraModel: 'EOS R5',
      metadataStatus: 'done',
      metadataSource: source,
      thumb: 'ready',
      job: { status: 'done', attempts: 1, reason: null },
    });
    expect(metadata.latitude).toBeCloseTo(-33.5, 5);
    expect(metadata.longitude).toBeCloseTo(-70.25, 5);
  });

  it('GIF: the first frame (red), landscape', async () => {
    const grid = await decodedImage(server.app, session, 'animation.gif', 'thumbnail');
    expect([grid.width, grid.height]).toEqual([256, 192]);
    expect(grid.mean[0]).toBeGreaterThan(200);
    expect(grid.mean[2]).toBeLessThan(50);
    const preview = await decodedImage(server.app, session, 'animation.gif', 'preview');
    expect([preview.width, preview.height]).toEqual([400, 300]); // never enlarged
  });

  it('MP4: poster frame from after 0.2 s (white), duration and creation time from ffprobe', async () => {
    const grid = await decodedImage(server.app, session, 'clip.mp4', 'thumbnail');
    expect([grid.width, grid.height]).toEqual([256, 144]);
    expect(grid.mean[0]).toBeGreaterThan(200); // the frames before 0.2 s are black
    const metadata = await metadataOf(server.app, session, 'clip.mp4');
    expect(metadata).toMatchObject({
      kind: 'video',
      capturedAt: '2020-05-01T10:00:00.000Z',
      capturedAtSource: 'video',
      width: 640,
      height: 360,
      metadataSource: 'ffprobe',
      thumb: 'ready',
      job: { status: 'done', reason: null },
    });
    expect(metadata.durationMs).toBeGreaterThanOrEqual(1900);
    expect(metadata.durationMs).toBeLessThanOrEqual(2100);
  });

  it('a photo without EXIF is placed at the time it was stored', async () => {
    const metadata = await metadataOf(server.app, session, 'no-exif.jpg');
    expect(metadata).toMatchObject({
      capturedAtSource: 'file',
      width: 800,
      height: 600,
      orientation: null,
      thumb: 'ready',
    });
    expect(Date.parse(metadata.capturedAt)).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(Date.parse(metadata.capturedAt)).toBeLessThanOrEqual(Date.now());
  });
});
