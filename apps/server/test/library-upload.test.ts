// Uploads (PROTOCOL.md §3): both routes store the exact bytes under uploads/{account uuid}/, only identical
// content is a duplicate, and a name clash gets a new name instead of losing either file (defect 5).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountUuid, filesOnDisk, indexRows, multipartBody, readStored, stagingLeftovers } from './support/library.ts';
import {
  registerUser,
  startTestServer,
  uploadMultipart,
  uploadRaw,
  type Session,
  type TestServer,
} from './support/test-server.ts';

describe('library uploads', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  async function freshAccount(): Promise<{ session: Session; uuid: string }> {
    const session = await registerUser(server.app);
    return { session, uuid: await accountUuid(server, session) };
  }

  it('stores a multipart upload byte for byte in the account folder', async () => {
    const { session, uuid } = await freshAccount();
    const bytes = randomBytes(70_000);
    const response = await uploadMultipart(server.app, session, 'IMG_0001.jpg', bytes);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ message: 'File uploaded', filename: 'IMG_0001.jpg' });
    expect(response.json()).not.toHaveProperty('duplicate');
    expect(await readStored(server, uuid, 'IMG_0001.jpg')).toEqual(bytes);
    expect(await filesOnDisk(server, uuid)).toEqual(['IMG_0001.jpg']);
  });

  it('stores a raw upload named by X-Filename, or by the X-File-Name alias', async () => {
    const { session, uuid } = await freshAccount();
    const first = randomBytes(5000);
    const second = randomBytes(6000);
    const viaFilename = await uploadRaw(server.app, session, 'a.png', first);
    expect(viaFilename.statusCode).toBe(200);
    expect(viaFilename.json()).toMatchObject({ message: 'File uploaded', filename: 'a.png' });
    const viaAlias = await server.app.inject({
      method: 'POST',
      url: '/api/upload/raw',
      headers: { ...session.headers, 'x-file-name': 'b.png', 'content-type': 'image/png' },
      payload: second,
    });
    expect(viaAlias.statusCode).toBe(200);
    expect(viaAlias.json()).toMatchObject({ message: 'File uploaded', filename: 'b.png' });
    expect(await readStored(server, uuid, 'a.png')).toEqual(first);
    expect(await readStored(server, uuid, 'b.png')).toEqual(second);
  });

  it('answers identical content as a duplicate with the stored name, by either route and any name', async () => {
    const { session, uuid } = await freshAccount();
    const bytes = randomBytes(4096);
    expect((await uploadRaw(server.app, session, 'first.jpg', bytes)).statusCode).toBe(200);
    const duplicateReply = { message: 'File already exists (duplicate)', filename: 'first.jpg', duplicate: true };
    const again = await uploadRaw(server.app, session, 'first.jpg', bytes);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject(duplicateReply);
    const otherName = await uploadRaw(server.app, session, 'renamed.jpg', bytes);
    expect(otherName.json()).toMatchObject(duplicateReply);
    const viaMultipart = await uploadMultipart(server.app, session, 'something-else.jpg', bytes);
    expect(viaMultipart.statusCode).toBe(200);
    expect(viaMultipart.json()).toMatchObject(duplicateReply);
    expect(await filesOnDisk(server, uuid)).toEqual(['first.jpg']);
    expect(await indexRows(server, session)).toHaveLength(1);
    expect(await stagingLeftovers(server)).toEqual([]);
  });

  it('defect 5 (multipart): same name, different content → "name (1).ext", "(2)", original untouched', async () => {
    const { session, uuid } = await freshAccount();
    const versions = [randomBytes(1000), randomBytes(1001), randomBytes(1002)];
    const names: unknown[] = [];
    for (const bytes of versions) {
      const response = await uploadMultipart(server.app, session, 'beach.jpg', bytes);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ message: 'File uploaded' });
      names.push(response.json<{ filename: string }>().filename);
    }
    expect(names).toEqual(['beach.jpg', 'beach (1).jpg', 'beach (2).jpg']);
    expect(await filesOnDisk(server, uuid)).toEqual(['beach (1).jpg', 'beach (2).jpg', 'beach.jpg']);
    expect(await readStored(server, uuid, 'beach.jpg')).toEqual(versions[0]);
    expect(await readStored(server, uuid, 'beach (1).jpg')).toEqual(versions[1]);
    expect(await readStored(server, uuid, 'beach (2).jpg')).toEqual(versions[2]);
  });

  it('defect 5 (raw): a different photo with a used name is stored, not dropped as a duplicate', async () => {
    const { session, uuid } = await freshAccount();
    const versions = [randomBytes(2000), randomBytes(2000), randomBytes(2000)];
    const replies = [];
    for (const bytes of versions) replies.push(await uploadRaw(server.app, session, 'clip.mov', bytes));
    for (const reply of replies) {
      expect(reply.statusCode).toBe(200);
      expect(reply.json()).toMatchObject({ message: 'File uploaded' });
      expect(reply.json()).not.toHaveProperty('duplicate');
    }
    expect(replies.map((reply) => reply.json<{ filename: string }>().filename)).toEqual([
      'clip.mov',
      'clip (1).mov',
      'clip (2).mov',
    ]);
    expect(await readStored(server, uuid, 'clip.mov')).toEqual(versions[0]);
    expect(await readStored(server, uuid, 'clip (1).mov')).toEqual(versions[1]);
    expect(await readStored(server, uuid, 'clip (2).mov')).toEqual(versions[2]);
    // The clash series continues across routes.
    const mixed = await uploadMultipart(server.app, session, 'clip.mov', randomBytes(10));
    expect(mixed.json()).toMatchObject({ filename: 'clip (3).mov' });
  });

  it('refuses a multipart request without a `file` part: 400 "No file uploaded"', async () => {
    const { session, uuid } = await freshAccount();
    const wrongField = await uploadMultipart(server.app, session, 'x.jpg', randomBytes(100), 'photo');
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json()).toMatchObject({ error: 'No file uploaded' });
    const boundary = 'fields-only';
    const fieldsOnly = await server.app.inject({
      method: 'POST',
      url: '/api/upload',
      headers: { ...session.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`,
    });
    expect(fieldsOnly.statusCode).toBe(400);
    expect(fieldsOnly.json()).toMatchObject({ error: 'No file uploaded' });
    const notMultipart = await server.app.inject({
      method: 'POST',
      url: '/api/upload',
      headers: session.headers,
      payload: { file: 'x' },
    });
    expect(notMultipart.statusCode).toBe(400);
    expect(notMultipart.json()).toMatchObject({ error: 'No file uploaded' });
    expect(await filesOnDisk(server, uuid)).toEqual([]);
    expect(await indexRows(server, session)).toEqual([]);
  });

  it('refuses a raw upload without a name: 400 "Missing x-filename header"', async () => {
    const { session, uuid } = await freshAccount();
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/upload/raw',
      headers: { ...session.headers, 'content-type': 'image/jpeg' },
      payload: randomBytes(100),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'Missing x-filename header' });
    expect(await filesOnDisk(server, uuid)).toEqual([]);
  });

  it('stores the declared media type, or one guessed from the extension', async () => {
    const { session } = await freshAccount();
    await uploadRaw(server.app, session, 'declared.bin', randomBytes(10), { 'content-type': 'image/heic' });
    await uploadRaw(server.app, session, 'guessed.MOV', randomBytes(10));
    const part = multipartBody('multi.png', randomBytes(10));
    await server.app.inject({
      method: 'POST',
      url: '/api/upload',
      headers: { ...session.headers, 'content-type': part.contentType },
      payload: part.payload,
    });
    await uploadMultipart(server.app, session, 'typed.dat', randomBytes(10));
    await uploadRaw(server.app, session, 'unknown.xyz', randomBytes(10));
    const expected: Record<string, string> = {
      'declared.bin': 'image/heic',
      'guessed.MOV': 'video/quicktime',
      'multi.png': 'image/png',
      'typed.dat': 'image/jpeg',
      'unknown.xyz': 'application/octet-stream',
    };
    const rows = await indexRows(server, session);
    expect(Object.fromEntries(rows.map((row) => [row.filename, row.mime]))).toEqual(expected);
    for (const [name, type] of Object.entries(expected)) {
      const download = await server.app.inject({ url: `/api/files/${name}`, headers: session.headers });
      expect(download.headers['content-type']).toBe(type);
    }
  });
});
