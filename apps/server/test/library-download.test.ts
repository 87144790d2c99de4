// GET /api/files/:filename: the exact bytes as an attachment, strong ETag from the content hash, single
// byte ranges (206/416), conditional requests (304, If-Range), HEAD, and 404 for unknown names.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCall, sha256 } from './support/library.ts';
import { registerUser, startTestServer, uploadRaw, type Session, type TestServer } from './support/test-server.ts';

describe('GET /api/files/:filename', () => {
  let server: TestServer;
  let session: Session;
  const bytes = randomBytes(1000);
  const etag = `"${sha256(bytes)}"`;
  const utf8Name = 'Île de Ré 🌊.jpg';
  const utf8Bytes = randomBytes(321);

  beforeAll(async () => {
    server = await startTestServer();
    session = await registerUser(server.app);
    expect((await uploadRaw(server.app, session, 'photo.jpg', bytes)).statusCode).toBe(200);
    expect((await uploadRaw(server.app, session, encodeURIComponent(utf8Name), utf8Bytes)).statusCode).toBe(200);
  });
  afterAll(async () => server.close());

  function get(app: FastifyInstance, headers: Record<string, string> = {}, name = 'photo.jpg', method = 'GET') {
    return app.inject({
      method: method as 'GET' | 'HEAD',
      url: `/api/files/${encodeURIComponent(name)}`,
      headers: { ...session.headers, ...headers },
    });
  }

  it('answers 200 with the bytes, an attachment disposition, the ETag and accept-ranges', async () => {
    const response = await get(server.app);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload).toEqual(bytes);
    expect(response.headers['content-length']).toBe('1000');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="photo\.jpg"/);
    expect(response.headers.etag).toBe(etag);
    expect(response.headers['accept-ranges']).toBe('bytes');
    expect(response.headers['content-type']).toBe('image/jpeg');
  });

  it('names a UTF-8 file exactly with filename*=', async () => {
    const response = await get(server.app, {}, utf8Name);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload).toEqual(utf8Bytes);
    const disposition = String(response.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment;/);
    expect(disposition).toMatch(/^[\x20-\x7e]*$/);
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1] ?? '')).toBe(utf8Name);
  });

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=10-', 10, 999],
    ['bytes=-5', 995, 999],
    ['bytes=990-5000', 990, 999],
  ])('answers Range %s with 206 and exactly those bytes', async (range, start, end) => {
    const response = await get(server.app, { range });
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/1000`);
    expect(response.headers['content-length']).toBe(String(end - start + 1));
    expect(response.rawPayload).toEqual(bytes.subarray(start, end + 1));
    expect(response.headers.etag).toBe(etag);
  });

  it('answers an unsatisfiable Range with 416 and content-range bytes */size', async () => {
    const response = await get(server.app, { range: 'bytes=999999-' });
    expect(response.statusCode).toBe(416);
    expect(response.headers['content-range']).toBe('bytes */1000');
    expect(response.json()).toHaveProperty('error');
  });

  it.each(['bytes=abc', 'bytes=5-2', 'pages=1-2', 'bytes=0-1,4-5'])(
    'ignores a malformed or multi Range %j and sends the whole file',
    async (range) => {
      const response = await get(server.app, { range });
      expect(response.statusCode).toBe(200);
      expect(response.rawPayload).toEqual(bytes);
    },
  );

  it('answers If-None-Match with the current ETag by 304 and no body', async () => {
    const response = await get(server.app, { 'if-none-match': etag });
    expect(response.statusCode).toBe(304);
    expect(response.rawPayload.length).toBe(0);
    expect(response.headers.etag).toBe(etag);
    const stale = await get(server.app, { 'if-none-match': `"${sha256('old')}"` });
    expect(stale.statusCode).toBe(200);
    expect(stale.rawPayload).toEqual(bytes);
  });

  it('honours a Range only while If-Range names the current ETag', async () => {
    const current = await get(server.app, { range: 'bytes=0-9', 'if-range': etag });
    expect(current.statusCode).toBe(206);
    expect(current.rawPayload).toEqual(bytes.subarray(0, 10));
    const stale = await get(server.app, { range: 'bytes=0-9', 'if-range': `"${sha256('old')}"` });
    expect(stale.statusCode).toBe(200);
    expect(stale.rawPayload).toEqual(bytes);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const response = await get(server.app, {}, 'photo.jpg', 'HEAD');
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.length).toBe(0);
    expect(response.headers['content-length']).toBe('1000');
    expect(response.headers.etag).toBe(etag);
    expect(response.headers['content-disposition']).toMatch(/^attachment;/);
    const missing = await get(server.app, {}, 'nope.jpg', 'HEAD');
    expect(missing.statusCode).toBe(404);
  });

  it('answers an unknown name with 404 {error:"File not found"}', async () => {
    const response = await get(server.app, {}, 'nope.jpg');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'File not found' });
  });

  it('streams the same over a real socket, ranges included', async () => {
    const base = await server.listen();
    const full = await httpCall(base, { path: '/api/files/photo.jpg', headers: session.headers });
    expect(full.status).toBe(200);
    expect(full.body).toEqual(bytes);
    const part = await httpCall(base, {
      path: '/api/files/photo.jpg',
      headers: { ...session.headers, range: 'bytes=100-199' },
    });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 100-199/1000');
    expect(part.body).toEqual(bytes.subarray(100, 200));
  });
});
