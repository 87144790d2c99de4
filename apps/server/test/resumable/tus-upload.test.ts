// Resumable uploads (tus 1.0 at /api/v2/tus) with tus-js-client over a real socket: the finished file lands in
// the library byte for byte, under the same duplicate and naming rules as a one-request upload, and a
// declared SHA-256 that does not match stores nothing.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DetailedError } from 'tus-js-client';
import { accountUuid, filesOnDisk, indexRows, sha256, stagingLeftovers } from '../support/library.ts';
import { registerUser, startTestServer, uploadRaw, type Session, type TestServer } from '../support/test-server.ts';
import { finished, MiB, tusCall, tusUpload } from './tus-support.ts';

describe('resumable uploads: finishing into the library', () => {
  let server: TestServer;
  let baseUrl: string;
  beforeAll(async () => {
    server = await startTestServer();
    baseUrl = await server.listen();
  });
  afterAll(async () => server.close());

  const tusLeftovers = () => readdir(join(server.dataDir, 'tus'));

  async function download(session: Session, name: string): Promise<Buffer> {
    const response = await server.app.inject({
      url: `/api/files/${encodeURIComponent(name)}`,
      headers: session.headers,
    });
    expect(response.statusCode).toBe(200);
    return response.rawPayload;
  }

  it('stores a 20 MB file sent in 1 MB chunks byte for byte, and says where in the final headers', async () => {
    const session = await registerUser(server.app);
    const bytes = randomBytes(20 * MiB);
    const name = 'Ferien – Strand 2024.mp4';
    const { url, response } = finished(await tusUpload(baseUrl, session, bytes, { filename: name, chunkSize: MiB }));
    expect(url).toMatch(new RegExp(`^${baseUrl}/api/v2/tus/[0-9a-f]{32}$`));
    expect(response.getStatus()).toBe(204);
    expect(response.getHeader('X-PhotoSync-Filename')).toBe(encodeURIComponent(name));
    expect(response.getHeader('X-PhotoSync-Duplicate')).toBe('false');
    expect(response.getHeader('X-PhotoSync-Sha256')).toBe(sha256(bytes));
    expect((await download(session, name)).equals(bytes)).toBe(true);
    expect(await indexRows(server, session)).toEqual([
      { filename: name, sha256: sha256(bytes), size: bytes.length, mime: 'video/mp4' },
    ]);
    // The finished upload is gone: its URL answers 404 and nothing is left in tus/ or staging.
    const head = await tusCall(baseUrl, 'HEAD', new URL(url).pathname, session.headers);
    expect(head.status).toBe(404);
    expect(await tusLeftovers()).toEqual([]);
    expect(await stagingLeftovers(server)).toEqual([]);
  });

  it('refuses content that does not match the declared SHA-256 with 400 and stores nothing', async () => {
    const session = await registerUser(server.app);
    const bytes = randomBytes(3 * MiB);
    const failure = await tusUpload(baseUrl, session, bytes, { sha256: sha256('something else') }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DetailedError);
    const response = (failure as DetailedError).originalResponse;
    expect(response?.getStatus()).toBe(400);
    expect(JSON.parse(response?.getBody() ?? '')).toMatchObject({ code: 'SHA256_MISMATCH', received: sha256(bytes) });
    expect(response?.getHeader('content-type')).toMatch(/^application\/json/);
    expect(await indexRows(server, session)).toEqual([]);
    expect(await filesOnDisk(server, await accountUuid(server, session))).toEqual([]);
    expect(await tusLeftovers()).toEqual([]);
    expect(await stagingLeftovers(server)).toEqual([]);
  });

  it('answers identical content as a duplicate with the stored name and stores no second copy', async () => {
    const session = await registerUser(server.app);
    const bytes = randomBytes(2 * MiB + 123);
    expect((await uploadRaw(server.app, session, 'original.jpg', bytes)).statusCode).toBe(200);
    const { response } = finished(await tusUpload(baseUrl, session, bytes, { filename: 'copy.jpg' }));
    expect(response.getStatus()).toBe(204);
    expect(response.getHeader('X-PhotoSync-Duplicate')).toBe('true');
    expect(response.getHeader('X-PhotoSync-Filename')).toBe('original.jpg');
    expect(await filesOnDisk(server, await accountUuid(server, session))).toEqual(['original.jpg']);
    expect(await indexRows(server, session)).toHaveLength(1);
  });

  it('keeps both files when a different one arrives under a taken name: "name (1).ext"', async () => {
    const session = await registerUser(server.app);
    const first = randomBytes(MiB + 1);
    const second = randomBytes(MiB + 2);
    const one = finished(await tusUpload(baseUrl, session, first, { filename: 'beach.jpg' }));
    const two = finished(await tusUpload(baseUrl, session, second, { filename: 'beach.jpg' }));
    expect(one.response.getHeader('X-PhotoSync-Filename')).toBe('beach.jpg');
    expect(two.response.getHeader('X-PhotoSync-Filename')).toBe(encodeURIComponent('beach (1).jpg'));
    expect(two.response.getHeader('X-PhotoSync-Duplicate')).toBe('false');
    expect((await download(session, 'beach.jpg')).equals(first)).toBe(true);
    expect((await download(session, 'beach (1).jpg')).equals(second)).toBe(true);
  });
});
