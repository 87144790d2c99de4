// Upload checks: declared SHA-256, empty bodies, the size limit (streamed over a real socket) and UTF-8
// names in the X-Filename header. A refused upload leaves nothing behind: no row, no file, no staging file.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountUuid,
  filesOnDisk,
  httpCall,
  indexRows,
  multipartBody,
  readStored,
  sha256,
  stagingLeftovers,
} from './support/library.ts';
import { registerUser, startTestServer, uploadMultipart, uploadRaw, type TestServer } from './support/test-server.ts';

describe('upload integrity checks', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('stores an upload whose X-Content-SHA256 matches (either case), by both routes', async () => {
    const session = await registerUser(server.app);
    const uuid = await accountUuid(server, session);
    const raw = randomBytes(3000);
    const response = await uploadRaw(server.app, session, 'ok.jpg', raw, {
      'x-content-sha256': sha256(raw).toUpperCase(),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ message: 'File uploaded', filename: 'ok.jpg', sha256: sha256(raw) });
    const multi = randomBytes(3000);
    const part = multipartBody('ok2.jpg', multi);
    const viaMultipart = await server.app.inject({
      method: 'POST',
      url: '/api/upload',
      headers: { ...session.headers, 'content-type': part.contentType, 'x-content-sha256': sha256(multi) },
      payload: part.payload,
    });
    expect(viaMultipart.statusCode).toBe(200);
    expect(await readStored(server, uuid, 'ok.jpg')).toEqual(raw);
    expect(await readStored(server, uuid, 'ok2.jpg')).toEqual(multi);
  });

  it('refuses mismatching or malformed X-Content-SHA256 and stores nothing', async () => {
    const session = await registerUser(server.app);
    const uuid = await accountUuid(server, session);
    const bytes = randomBytes(3000);
    const wrong = sha256(randomBytes(10));
    const mismatch = await uploadRaw(server.app, session, 'bad.jpg', bytes, { 'x-content-sha256': wrong });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json()).toMatchObject({ code: 'SHA256_MISMATCH', expected: wrong, received: sha256(bytes) });
    const part = multipartBody('bad.jpg', bytes);
    const multipartMismatch = await server.app.inject({
      method: 'POST',
      url: '/api/upload',
      headers: { ...session.headers, 'content-type': part.contentType, 'x-content-sha256': wrong },
      payload: part.payload,
    });
    expect(multipartMismatch.statusCode).toBe(400);
    expect(multipartMismatch.json()).toMatchObject({ code: 'SHA256_MISMATCH' });
    for (const malformed of ['abc', 'z'.repeat(64), `${sha256(bytes)}0`]) {
      const response = await uploadRaw(server.app, session, 'bad.jpg', bytes, { 'x-content-sha256': malformed });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toHaveProperty('error');
    }
    expect(await indexRows(server, session)).toEqual([]);
    expect(await filesOnDisk(server, uuid)).toEqual([]);
    expect(await stagingLeftovers(server)).toEqual([]);
    // The refused content was never stored, so it is not a duplicate now.
    expect((await uploadRaw(server.app, session, 'bad.jpg', bytes)).json()).toMatchObject({
      message: 'File uploaded',
    });
  });

  it('refuses an empty file by both routes with EMPTY_FILE', async () => {
    const session = await registerUser(server.app);
    const uuid = await accountUuid(server, session);
    const raw = await uploadRaw(server.app, session, 'empty.jpg', Buffer.alloc(0));
    expect(raw.statusCode).toBe(400);
    expect(raw.json()).toMatchObject({ code: 'EMPTY_FILE' });
    const multi = await uploadMultipart(server.app, session, 'empty.jpg', Buffer.alloc(0));
    expect(multi.statusCode).toBe(400);
    expect(multi.json()).toMatchObject({ code: 'EMPTY_FILE' });
    expect(await indexRows(server, session)).toEqual([]);
    expect(await filesOnDisk(server, uuid)).toEqual([]);
    expect(await stagingLeftovers(server)).toEqual([]);
  });

  it('accepts UTF-8 names sent raw (latin1 header bytes) or percent-encoded as the same NFC name', async () => {
    const session = await registerUser(server.app);
    const uuid = await accountUuid(server, session);
    const base = await server.listen();
    const name = 'Été à Zürich 東京 📷.jpg';
    const first = randomBytes(500);
    const second = randomBytes(500);
    const third = randomBytes(500);
    const send = (header: string, body: Buffer) =>
      httpCall(base, {
        method: 'POST',
        path: '/api/upload/raw',
        headers: { ...session.headers, 'x-filename': header, 'content-type': 'image/jpeg' },
        body,
      });
    const raw = await send(Buffer.from(name, 'utf8').toString('latin1'), first);
    expect(raw.status).toBe(200);
    expect(JSON.parse(raw.body.toString())).toMatchObject({ filename: name });
    const encoded = await send(encodeURIComponent(name), second);
    expect(JSON.parse(encoded.body.toString())).toMatchObject({ filename: 'Été à Zürich 東京 📷 (1).jpg' });
    // Decomposed (NFD) input lands on the same NFC name.
    const decomposed = await send(encodeURIComponent(name.normalize('NFD')), third);
    expect(JSON.parse(decomposed.body.toString())).toMatchObject({ filename: 'Été à Zürich 東京 📷 (2).jpg' });
    expect(await readStored(server, uuid, name)).toEqual(first);
    const download = await httpCall(base, { path: `/api/files/${encodeURIComponent(name)}`, headers: session.headers });
    expect(download.status).toBe(200);
    expect(download.body).toEqual(first);
    const disposition = String(download.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment;/);
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1] ?? '')).toBe(name);
  });
});

describe('upload size limit (MAX_UPLOAD_SIZE=1000)', () => {
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    server = await startTestServer({ MAX_UPLOAD_SIZE: '1000' });
    base = await server.listen();
  });
  afterAll(async () => server.close());

  it('refuses oversized raw and multipart uploads with 413 JSON over a real socket; nothing is stored', async () => {
    const session = await registerUser(server.app);
    const uuid = await accountUuid(server, session);
    const big = randomBytes(2000);
    const headers = { ...session.headers, 'x-filename': 'big.jpg', 'content-type': 'image/jpeg' };
    const declared = await httpCall(base, {
      method: 'POST',
      path: '/api/upload/raw',
      headers: { ...headers, 'content-length': big.length },
      body: big,
    });
    // No Content-Length: the limit must trip while the body streams in.
    const streamed = await httpCall(base, {
      method: 'POST',
      path: '/api/upload/raw',
      headers,
      body: Readable.from([big.subarray(0, 700), big.subarray(700, 1400), big.subarray(1400)]),
    });
    const part = multipartBody('big.jpg', big);
    const multipart = await httpCall(base, {
      method: 'POST',
      path: '/api/upload',
      headers: { ...session.headers, 'content-type': part.contentType },
      body: part.payload,
    });
    for (const response of [declared, streamed, multipart]) {
      expect(response.status).toBe(413);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(response.body.toString())).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    }
    expect(await indexRows(server, session)).toEqual([]);
    expect(await filesOnDisk(server, uuid)).toEqual([]);
    expect(await stagingLeftovers(server)).toEqual([]);
  });

  it('still accepts a file of exactly the limit afterwards', async () => {
    const session = await registerUser(server.app);
    const uuid = await accountUuid(server, session);
    const exact = randomBytes(1000);
    const response = await httpCall(base, {
      method: 'POST',
      path: '/api/upload/raw',
      headers: { ...session.headers, 'x-filename': 'exact.jpg' },
      body: Readable.from([exact.subarray(0, 500), exact.subarray(500)]),
    });
    expect(response.status).toBe(200);
    expect(await readStored(server, uuid, 'exact.jpg')).toEqual(exact);
    const multi = await uploadMultipart(server.app, session, 'exact2.jpg', randomBytes(1000));
    expect(multi.statusCode).toBe(200);
  });
});
