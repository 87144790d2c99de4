// Who may create and touch a resumable upload, and what a bad creation request gets: JSON `{error, code}`.
// An upload belongs to the account that created it; for any other account it does not exist (404).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountUuid, indexRows, sha256 } from '../support/library.ts';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import { createUpload, patch, tusCall, uploadMetadata } from './tus-support.ts';

describe('resumable uploads: access and creation input', () => {
  let server: TestServer;
  let baseUrl: string;
  let owner: Session;
  let intruder: Session;
  beforeAll(async () => {
    server = await startTestServer({ MAX_UPLOAD_SIZE: '1MiB' });
    baseUrl = await server.listen();
    owner = await registerUser(server.app);
    intruder = await registerUser(server.app);
  });
  afterAll(async () => server.close());

  it('answers 404 to another account for HEAD, PATCH and DELETE, and leaves the upload intact', async () => {
    const bytes = randomBytes(1000);
    const path = await createUpload(baseUrl, owner, bytes, 'mine.jpg');
    expect((await patch(baseUrl, owner, path, 0, bytes.subarray(0, 400))).status).toBe(204);
    expect((await tusCall(baseUrl, 'HEAD', path, intruder.headers)).status).toBe(404);
    const stolen = await patch(baseUrl, intruder, path, 400, bytes.subarray(400));
    expect(stolen.status).toBe(404);
    expect(JSON.parse(stolen.body.toString())).toMatchObject({ code: 'NOT_FOUND' });
    expect((await tusCall(baseUrl, 'DELETE', path, intruder.headers)).status).toBe(404);
    expect(await indexRows(server, intruder)).toEqual([]);
    const head = await tusCall(baseUrl, 'HEAD', path, owner.headers);
    expect(head.status).toBe(200);
    expect(head.headers['upload-offset']).toBe('400');
    const done = await patch(baseUrl, owner, path, 400, bytes.subarray(400));
    expect(done.status).toBe(204);
    expect(done.headers['x-photosync-filename']).toBe('mine.jpg');
  });

  it('lets the owner terminate an upload (DELETE), after which it is gone', async () => {
    const path = await createUpload(baseUrl, owner, randomBytes(10));
    expect((await tusCall(baseUrl, 'DELETE', path, owner.headers)).status).toBe(204);
    expect((await tusCall(baseUrl, 'HEAD', path, owner.headers)).status).toBe(404);
  });

  it('records the owner from the token, never from what the client sends, and never shows it', async () => {
    const bytes = randomBytes(10);
    const created = await tusCall(baseUrl, 'POST', '/api/v2/tus', {
      ...owner.headers,
      'upload-length': bytes.length,
      'upload-metadata': uploadMetadata({
        filename: 'x.jpg',
        sha256: sha256(bytes),
        'photosync-owner': await accountUuid(server, intruder),
      }),
    });
    expect(created.status).toBe(201);
    const path = String(created.headers.location);
    expect((await tusCall(baseUrl, 'HEAD', path, intruder.headers)).status).toBe(404);
    const head = await tusCall(baseUrl, 'HEAD', path, owner.headers);
    expect(head.status).toBe(200);
    expect(Buffer.from(String(head.headers['upload-metadata']), 'latin1').toString()).not.toMatch(/photosync-owner/);
  });

  it('answers 401 without a token, for creation and for an existing upload', async () => {
    const bytes = randomBytes(10);
    const create = await tusCall(baseUrl, 'POST', '/api/v2/tus', {
      'upload-length': 10,
      'upload-metadata': uploadMetadata({ filename: 'x.jpg', sha256: sha256(bytes) }),
    });
    expect(create.status).toBe(401);
    expect(JSON.parse(create.body.toString())).toMatchObject({ code: 'NO_TOKEN' });
    const path = await createUpload(baseUrl, owner, bytes);
    expect((await tusCall(baseUrl, 'HEAD', path, {})).status).toBe(401);
    expect((await patch(baseUrl, { ...owner, headers: {} }, path, 0, bytes)).status).toBe(401);
  });

  it('answers 413 when Upload-Length exceeds MAX_UPLOAD_SIZE', async () => {
    const response = await tusCall(baseUrl, 'POST', '/api/v2/tus', {
      ...owner.headers,
      'upload-length': 1024 * 1024 + 1,
      'upload-metadata': uploadMetadata({ filename: 'big.mov', sha256: sha256('x') }),
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body.toString())).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses missing or invalid creation input with 400 JSON naming the problem', async () => {
    const good = { filename: 'a.jpg', sha256: sha256('a') };
    const cases: [Record<string, string | number>, string][] = [
      [{ 'upload-metadata': uploadMetadata(good) }, 'UPLOAD_LENGTH_REQUIRED'],
      [{ 'upload-length': 'ten', 'upload-metadata': uploadMetadata(good) }, 'INVALID_UPLOAD_LENGTH'],
      [{ 'upload-length': 0, 'upload-metadata': uploadMetadata(good) }, 'INVALID_UPLOAD_LENGTH'],
      [{ 'upload-length': 10 }, 'MISSING_METADATA'],
      [{ 'upload-length': 10, 'upload-metadata': 'filename not base64!' }, 'INVALID_METADATA'],
      [{ 'upload-length': 10, 'upload-metadata': uploadMetadata({ sha256: good.sha256 }) }, 'MISSING_FILENAME'],
      [{ 'upload-length': 10, 'upload-metadata': uploadMetadata({ filename: 'a.jpg' }) }, 'MISSING_SHA256'],
      [{ 'upload-length': 10, 'upload-metadata': uploadMetadata({ ...good, sha256: 'abc' }) }, 'INVALID_SHA256'],
      [{ 'upload-length': 10, 'upload-metadata': uploadMetadata({ ...good, filename: '..' }) }, 'INVALID_FILENAME'],
    ];
    for (const [headers, code] of cases) {
      const response = await tusCall(baseUrl, 'POST', '/api/v2/tus', { ...owner.headers, ...headers });
      expect(response.status, code).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(response.body.toString())).toMatchObject({ code, error: expect.any(String) as unknown });
    }
  });

  it('answers tus discovery (OPTIONS) without a token', async () => {
    const response = await tusCall(baseUrl, 'OPTIONS', '/api/v2/tus', {});
    expect(response.status).toBe(204);
    expect(response.headers['tus-version']).toBe('1.0.0');
    expect(response.headers['tus-max-size']).toBe(String(1024 * 1024));
    expect(response.headers['tus-extension']).toBe('creation,creation-with-upload,termination');
  });
});

describe('resumable uploads: CORS', () => {
  const origin = 'https://photos.example.com';
  let server: TestServer;
  let baseUrl: string;
  beforeAll(async () => {
    server = await startTestServer({ CORS_ORIGINS: origin });
    baseUrl = await server.listen();
  });
  afterAll(async () => server.close());

  it('lets an allowed web origin read the tus headers and the stored name of the finished upload', async () => {
    const session = await registerUser(server.app);
    const bytes = randomBytes(500);
    const path = await createUpload(baseUrl, session, bytes, 'web.jpg');
    const done = await tusCall(
      baseUrl,
      'PATCH',
      path,
      { ...session.headers, origin, 'upload-offset': 0, 'content-type': 'application/offset+octet-stream' },
      bytes,
    );
    expect(done.status).toBe(204);
    expect(done.headers['access-control-allow-origin']).toBe(origin);
    const exposed = String(done.headers['access-control-expose-headers']).toLowerCase();
    for (const name of ['upload-offset', 'location', 'x-photosync-filename', 'x-photosync-duplicate']) {
      expect(exposed).toContain(name);
    }
    const foreign = await tusCall(baseUrl, 'HEAD', await createUpload(baseUrl, session, bytes), {
      ...session.headers,
      origin: 'https://evil.example',
    });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows PATCH and DELETE with the tus and auth headers in a preflight', async () => {
    const response = await server.app.inject({
      method: 'OPTIONS',
      url: '/api/v2/tus/0123456789abcdef0123456789abcdef',
      headers: {
        origin,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,x-device-uuid,tus-resumable,upload-offset,content-type',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(origin);
    expect(String(response.headers['access-control-allow-methods'])).toMatch(/PATCH/);
    expect(String(response.headers['access-control-allow-methods'])).toMatch(/DELETE/);
    expect(String(response.headers['access-control-allow-headers'])).toMatch(/upload-offset/);
  });
});
