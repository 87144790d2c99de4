// Resuming: a tus-js-client upload aborted midway continues from the server's offset with a new client given
// the upload URL (bytes counted on the wire), the bytes of a dropped PATCH are kept, and an upload survives a
// server restart on the same data dir.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import { countingProxy, createUpload, finished, MiB, patch, tusCall, tusUpload } from './tus-support.ts';

async function download(server: TestServer, session: Session, name: string): Promise<Buffer> {
  const response = await server.app.inject({ url: `/api/files/${encodeURIComponent(name)}`, headers: session.headers });
  expect(response.statusCode).toBe(200);
  return response.rawPayload;
}

describe('resumable uploads: resuming', () => {
  let server: TestServer;
  let baseUrl: string;
  beforeAll(async () => {
    server = await startTestServer();
    baseUrl = await server.listen();
  });
  afterAll(async () => server.close());

  it('continues an aborted upload from the stored offset: < 1.2× the file size sent in total', async () => {
    const session = await registerUser(server.app);
    const bytes = randomBytes(20 * MiB);
    const proxy = await countingProxy(baseUrl);
    try {
      const first = await tusUpload(proxy.baseUrl, session, bytes, {
        filename: 'resumed.mov',
        abortAfter: (accepted) => accepted >= 10 * MiB,
      });
      if (!('aborted' in first)) throw new Error('the first attempt should have been aborted');
      const sentBefore = proxy.sent();
      expect(sentBefore).toBeGreaterThanOrEqual(10 * MiB);
      expect(sentBefore).toBeLessThan(bytes.length);
      const head = await tusCall(baseUrl, 'HEAD', new URL(first.aborted).pathname, session.headers);
      expect(Number(head.headers['upload-offset'])).toBeGreaterThanOrEqual(10 * MiB);

      const second = finished(await tusUpload(proxy.baseUrl, session, bytes, { uploadUrl: first.aborted }));
      expect(second.url).toBe(first.aborted);
      expect(second.response.getHeader('X-PhotoSync-Filename')).toBe('resumed.mov');
      expect(proxy.sent()).toBeGreaterThanOrEqual(bytes.length);
      expect(proxy.sent()).toBeLessThan(1.2 * bytes.length);
      expect((await download(server, session, 'resumed.mov')).equals(bytes)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('keeps the bytes of a PATCH whose connection drops mid-body, and continues from there', async () => {
    const session = await registerUser(server.app);
    const bytes = randomBytes(4 * MiB);
    const path = await createUpload(baseUrl, session, bytes, 'dropped.jpg');
    const half = 2 * MiB + 5;
    const { hostname, port } = new URL(baseUrl);
    const request = httpRequest({
      host: hostname,
      port,
      method: 'PATCH',
      path,
      headers: {
        ...session.headers,
        'tus-resumable': '1.0.0',
        'upload-offset': 0,
        'content-type': 'application/offset+octet-stream',
        'content-length': bytes.length,
      },
    });
    request.on('error', () => undefined); // destroyed on purpose
    request.write(bytes.subarray(0, half));
    const dataFile = join(server.dataDir, 'tus', path.slice(path.lastIndexOf('/') + 1));
    await vi.waitFor(async () => expect((await stat(dataFile)).size).toBe(half), { timeout: 20_000 });
    request.destroy();

    const head = await tusCall(baseUrl, 'HEAD', path, session.headers);
    expect(head.headers['upload-offset']).toBe(String(half));
    const rest = await patch(baseUrl, session, path, half, bytes.subarray(half));
    expect(rest.status).toBe(204);
    expect(rest.headers['x-photosync-filename']).toBe('dropped.jpg');
    expect((await download(server, session, 'dropped.jpg')).equals(bytes)).toBe(true);
  });
});

describe('resumable uploads: server restart', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'photosync-tus-restart-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('resumes an upload from the stored offset after the server restarts on the same data dir', async () => {
    const before = await startTestServer({}, dataDir);
    const session = await registerUser(before.app);
    const bytes = randomBytes(8 * MiB + 77);
    const first = await tusUpload(await before.listen(), session, bytes, {
      filename: 'restart.mp4',
      abortAfter: (accepted) => accepted >= 3 * MiB,
    });
    if (!('aborted' in first)) throw new Error('the first attempt should have been aborted');
    await before.close();

    const after = await startTestServer({}, dataDir);
    try {
      const baseUrl = await after.listen();
      const uploadUrl = `${baseUrl}${new URL(first.aborted).pathname}`;
      const head = await tusCall(baseUrl, 'HEAD', new URL(uploadUrl).pathname, session.headers);
      expect(head.status).toBe(200);
      const offset = Number(head.headers['upload-offset']);
      expect(offset).toBeGreaterThanOrEqual(3 * MiB);
      expect(after.context.resumableRecovery).toEqual({ completed: [], discarded: [], expired: 0 });

      const proxy = await countingProxy(baseUrl);
      try {
        const proxiedUrl = `${proxy.baseUrl}${new URL(uploadUrl).pathname}`;
        const done = finished(await tusUpload(proxy.baseUrl, session, bytes, { uploadUrl: proxiedUrl }));
        expect(done.response.getHeader('X-PhotoSync-Filename')).toBe('restart.mp4');
        // Only what the first server had not stored was sent again (plus request headers).
        expect(proxy.sent()).toBeGreaterThanOrEqual(bytes.length - offset);
        expect(proxy.sent()).toBeLessThan(bytes.length - offset + 64 * 1024);
      } finally {
        await proxy.close();
      }
      expect((await download(after, session, 'restart.mp4')).equals(bytes)).toBe(true);
    } finally {
      await after.close();
    }
  });
});
