/**
 * Disk full, for real: the upload folder lives on an 8 MiB tmpfs mounted for this test (CI runs as root).
 * A too-large upload gets 507 and leaves nothing; reads keep working; uploads work again once space is freed.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createClient, type PhotoSyncClient } from '@photosync/client';
import { startTestServer, type TestServer } from '../support/test-server.ts';

function mountSmallFilesystem(target: string): void {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0700', 'tmpfs', target], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `This test needs to mount a small tmpfs (run the tests as root, as CI does): mount -t tmpfs -o size=8m tmpfs ${target}`,
      { cause: error },
    );
  }
}

describe('disk full', () => {
  let root: string;
  let mountPoint: string;
  let server: TestServer;
  let client: PhotoSyncClient;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'photosync-full-'));
    mountPoint = join(root, 'small-disk');
    execFileSync('mkdir', ['-p', mountPoint]);
    mountSmallFilesystem(mountPoint);
    server = await startTestServer({ UPLOAD_DIR: mountPoint }, join(root, 'data'));
    const baseUrl = await server.listen();
    const session = await createClient({ baseUrl }).register({
      email: 'full@example.com',
      password: 'disk-full-pw',
      deviceUuid: 'd1',
    });
    client = createClient({ baseUrl, auth: { token: session.token, deviceUuid: 'd1' } });
  });

  afterAll(async () => {
    await server.close();
    execFileSync('umount', [mountPoint]);
    await rm(root, { recursive: true, force: true });
  });

  it('answers 507 with nothing partial left, keeps serving reads, and recovers when space is freed', async () => {
    const first = randomBytes(3 * 2 ** 20);
    expect(await client.upload(first, { filename: 'first.jpg' })).toMatchObject({ filename: 'first.jpg' });

    const tooBig = randomBytes(6 * 2 ** 20);
    const failure = await client.upload(tooBig, { filename: 'big.mov' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 507, code: 'INSUFFICIENT_STORAGE' });
    expect((failure as ApiError).message).toMatch(/disk space/);
    expect(await readdir(join(mountPoint, '.incoming'))).toEqual([]);
    expect((await client.listFiles()).files.map((file) => file.filename)).toEqual(['first.jpg']);

    const download = await client.download('first.jpg');
    expect(Buffer.from(await download.arrayBuffer()).equals(first)).toBe(true);

    await client.deleteFile('first.jpg');
    expect(await client.upload(tooBig, { filename: 'big.mov' })).toMatchObject({
      filename: 'big.mov',
      size: tooBig.length,
    });
    expect(await client.libraryStats()).toEqual({ count: 1, bytes: tooBig.length });
  });
});
