// Files the pipeline must refuse without harm: a truncated JPEG, a 30,000 × 30,000 PNG (a decompression bomb:
// 900 megapixels in ~100 KB), a cut-off MP4 and a file that is no media at all. Each job ends with a recorded
// reason, nothing is retried, the server keeps serving and the next good photo is processed as usual.
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import { FIXTURE_TIMEOUT_MS, hugePng, makeJpeg, makeMp4, truncated } from './support/fixtures.ts';
import { decodedImage, getImage, jobsOf, mediaIdle, metadataOf, uploadFile } from './support/media-server.ts';

describe('media pipeline: corrupt and enormous files', () => {
  let dir: string;
  let server: TestServer;
  let session: Session;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photosync-limits-'));
    const jpeg = await makeJpeg(dir, 'whole.jpg', 1600, 1200);
    const video = await makeMp4(dir, 'whole.mp4', 2, '2020-05-01T10:00:00Z');
    const bomb = join(dir, 'bomb.png');
    await writeFile(bomb, hugePng(30_000, 30_000));
    const notes = join(dir, 'notes.txt');
    await writeFile(notes, 'shopping list: milk, eggs\n');
    server = await startTestServer();
    session = await registerUser(server.app);
    await uploadFile(server, session, await truncated(jpeg, join(dir, 'truncated.jpg'), 60_000));
    await uploadFile(server, session, bomb);
    await uploadFile(server, session, await truncated(video, join(dir, 'cut.mp4'), 1_200));
    await uploadFile(server, session, notes);
    await mediaIdle(server);
  }, FIXTURE_TIMEOUT_MS);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await server.close();
  });

  it('a truncated JPEG fails its job with the decoder’s reason; its header data is kept', async () => {
    const metadata = await metadataOf(server.app, session, 'truncated.jpg');
    expect(metadata).toMatchObject({ kind: 'photo', width: 1600, height: 1200, thumb: 'failed' });
    expect(metadata.job).toMatchObject({ status: 'failed', attempts: 1 });
    expect(metadata.job?.reason).toMatch(/could not be decoded.*(premature end|truncated)/i);
    const response = await getImage(server.app, session, 'truncated.jpg', 'thumbnail');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'THUMBNAIL_FAILED' });
  });

  it('a 30,000 × 30,000 PNG is refused before decoding, with its size in the reason', async () => {
    const metadata = await metadataOf(server.app, session, 'bomb.png');
    expect(metadata).toMatchObject({ kind: 'photo', width: 30_000, height: 30_000, thumb: 'failed' });
    expect(metadata.job).toMatchObject({ status: 'failed', attempts: 1 });
    expect(metadata.job?.reason).toBe(
      'The image is 900.0 megapixels (30000 × 30000); previews are made for images up to 100.0 megapixels',
    );
    expect((await getImage(server.app, session, 'bomb.png', 'preview')).statusCode).toBe(404);
  });

  it('a cut-off MP4 fails with ffprobe’s and ffmpeg’s reasons', async () => {
    const metadata = await metadataOf(server.app, session, 'cut.mp4');
    expect(metadata).toMatchObject({ kind: 'video', metadataStatus: 'failed', thumb: 'failed' });
    expect(metadata.job?.status).toBe('failed');
    expect(metadata.job?.reason).toMatch(/ffprobe could not read the video.*No poster frame/);
  });

  it('a file that is not media gets no thumbnail and a successful job', async () => {
    const metadata = await metadataOf(server.app, session, 'notes.txt');
    expect(metadata).toMatchObject({ kind: 'other', thumb: 'none', job: { status: 'done' } });
    const response = await getImage(server.app, session, 'notes.txt', 'thumbnail');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NO_THUMBNAIL' });
  });

  it('keeps serving and processes the next good photo', async () => {
    expect((await server.app.inject({ url: '/health' })).statusCode).toBe(200);
    await uploadFile(server, session, await makeJpeg(dir, 'after.jpg', 640, 480));
    await mediaIdle(server);
    const grid = await decodedImage(server.app, session, 'after.jpg', 'thumbnail');
    expect([grid.width, grid.height]).toEqual([256, 192]);
    const jobs = await jobsOf(server, session);
    expect(jobs.map((job) => job.status)).toEqual(['failed', 'failed', 'failed', 'done', 'done']);
    expect(jobs.every((job) => job.attempts === 1)).toBe(true);
  });
});
