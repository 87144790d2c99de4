// StealthCloud chunks (PROTOCOL.md §4): raw and multipart uploads verified against X-Chunk-Id, stored once,
// never rewritten; defect 4 (multipart deleted the chunk) and defect 8 (a truncated file counted as stored).
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountUuid, httpCall, sha256 } from '../support/library.ts';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import {
  chunkPath,
  chunkRows,
  getChunk,
  makeChunk,
  postChunk,
  postChunkMultipart,
  vaultFiles,
  vaultStaging,
} from '../support/vault.ts';

const MAX = 16 * 1024 * 1024;

describe('vault chunks', () => {
  let server: TestServer;
  let base: string;
  let session: Session;
  let uuid: string;
  beforeAll(async () => {
    server = await startTestServer();
    base = await server.listen();
    session = await registerUser(server.app);
    uuid = await accountUuid(server, session);
  });
  afterAll(async () => server.close());

  const nothingLeftFor = async (chunkId: string) => {
    expect((await chunkRows(server, session)).has(chunkId)).toBe(false);
    expect((await vaultFiles(server)).filter((file) => file.endsWith(chunkId))).toEqual([]);
    expect(await vaultStaging(server)).toEqual([]);
  };

  it('stores raw and multipart uploads byte-exact and serves them as octet-stream', async () => {
    for (const send of [postChunk, postChunkMultipart]) {
      const chunk = makeChunk(70_000);
      const response = await send(server.app, session, chunk.bytes, chunk.id);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ chunkId: chunk.id, stored: true });
      expect(sha256(await readFile(chunkPath(server, uuid, chunk.id)))).toBe(chunk.id);
      const download = await getChunk(server.app, session, chunk.id);
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-type']).toBe('application/octet-stream');
      expect(sha256(download.rawPayload)).toBe(chunk.id);
    }
  });

  it('defect 4: a multipart upload with X-Chunk-Id really keeps the chunk', async () => {
    const chunk = makeChunk(2 * 1024 * 1024 + 16);
    const response = await postChunkMultipart(server.app, session, chunk.bytes, chunk.id);
    expect(response.json()).toEqual({ chunkId: chunk.id, stored: true });
    expect((await chunkRows(server, session)).get(chunk.id)).toBe(chunk.bytes.length);
    expect(sha256((await getChunk(server.app, session, chunk.id)).rawPayload)).toBe(chunk.id);
  });

  it('answers stored:true again for an existing chunk without rewriting its file', async () => {
    const chunk = makeChunk(5000);
    await postChunk(server.app, session, chunk.bytes, chunk.id);
    const path = chunkPath(server, uuid, chunk.id);
    const old = new Date('2001-02-03T04:05:06Z');
    await utimes(path, old, old);
    const before = await stat(path);
    for (const send of [postChunk, postChunkMultipart]) {
      const again = await send(server.app, session, chunk.bytes, chunk.id);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({ chunkId: chunk.id, stored: true });
    }
    const after = await stat(path);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(old.getTime());
    // Other bytes under an existing id are refused, and the stored chunk stays as it was.
    const forged = await postChunk(server.app, session, Buffer.from('forged'), chunk.id);
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ error: 'Chunk hash mismatch' });
    expect(sha256(await readFile(path))).toBe(chunk.id);
    expect(await vaultStaging(server)).toEqual([]);
  });

  it('refuses a missing or malformed X-Chunk-Id', async () => {
    const chunk = makeChunk(100);
    const cases = [undefined, chunk.id.toUpperCase(), chunk.id.slice(0, 63), `${chunk.id}0`, 'g'.repeat(64)];
    for (const id of cases) {
      const headers: Record<string, string> = { ...session.headers, 'content-type': 'application/octet-stream' };
      if (id !== undefined) headers['x-chunk-id'] = id;
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/cloud/chunks',
        headers,
        payload: chunk.bytes,
      });
      expect({ id, status: response.statusCode }).toEqual({ id, status: 400 });
      expect(response.json()).toMatchObject({ error: 'Missing or invalid X-Chunk-Id' });
    }
    await nothingLeftFor(chunk.id);
  });

  it('refuses a hash mismatch by both routes and leaves no file, row or staging', async () => {
    const chunk = makeChunk(3000);
    const claimed = sha256('something else');
    for (const send of [postChunk, postChunkMultipart]) {
      const response = await send(server.app, session, chunk.bytes, claimed);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'Chunk hash mismatch' });
    }
    await nothingLeftFor(claimed);
    await nothingLeftFor(chunk.id);
  });

  it('refuses an upload without a chunk: multipart without the field, empty raw bodies', async () => {
    const chunk = makeChunk(100);
    const wrongField = await postChunkMultipart(server.app, session, chunk.bytes, chunk.id, 'file');
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json()).toMatchObject({ error: 'No chunk uploaded' });
    const empty = await postChunk(server.app, session, Buffer.alloc(0), sha256(''));
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: 'No chunk uploaded' });
    // Also without Content-Length (chunked), and as an empty multipart part: an empty chunk is no chunk.
    const streamedEmpty = await httpCall(base, {
      method: 'POST',
      path: '/api/cloud/chunks',
      headers: {
        ...session.headers,
        'x-chunk-id': sha256(''),
        'content-type': 'application/octet-stream',
        'transfer-encoding': 'chunked',
      },
      body: Readable.from([]),
    });
    expect(streamedEmpty.status).toBe(400);
    expect(JSON.parse(streamedEmpty.body.toString())).toMatchObject({ error: 'No chunk uploaded' });
    const emptyPart = await postChunkMultipart(server.app, session, Buffer.alloc(0), sha256(''));
    expect(emptyPart.statusCode).toBe(400);
    expect(emptyPart.json()).toMatchObject({ error: 'No chunk uploaded' });
    await nothingLeftFor(chunk.id);
    await nothingLeftFor(sha256(''));
  });

  it('GET refuses invalid ids (400) and unknown chunks (404)', async () => {
    for (const id of ['abc', makeChunk().id.toUpperCase(), `${'0'.repeat(63)}z`]) {
      const response = await getChunk(server.app, session, id);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'Invalid chunk id' });
    }
    const unknown = await getChunk(server.app, session, makeChunk().id);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'Chunk not found' });
  });

  it('defect 8: a truncated file in the final place (no row) is never "stored"; a re-upload repairs it', async () => {
    const chunk = makeChunk(200_000);
    const path = chunkPath(server, uuid, chunk.id);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, chunk.bytes.subarray(0, 50_000));
    const before = await getChunk(server.app, session, chunk.id);
    expect(before.statusCode).toBe(404);
    expect(before.json()).toMatchObject({ error: 'Chunk not found' });
    for (const send of [postChunk, postChunkMultipart]) {
      const response = await send(server.app, session, chunk.bytes, chunk.id);
      expect(response.json()).toEqual({ chunkId: chunk.id, stored: true });
    }
    expect(sha256(await readFile(path))).toBe(chunk.id);
    expect(sha256((await getChunk(server.app, session, chunk.id)).rawPayload)).toBe(chunk.id);
    expect((await chunkRows(server, session)).get(chunk.id)).toBe(chunk.bytes.length);
  });

  it('accepts exactly 16 MiB and refuses more with 413, raw (declared or streamed) and multipart', async () => {
    const limit = makeChunk(MAX);
    expect((await postChunk(server.app, session, limit.bytes, limit.id)).statusCode).toBe(200);
    const over = makeChunk(MAX + 1);
    for (const send of [postChunk, postChunkMultipart]) {
      const response = await send(server.app, session, over.bytes, over.id);
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    }
    const streamed = await httpCall(base, {
      method: 'POST',
      path: '/api/cloud/chunks',
      headers: { ...session.headers, 'x-chunk-id': over.id, 'content-type': 'application/octet-stream' },
      body: Readable.from([over.bytes.subarray(0, MAX / 2), over.bytes.subarray(MAX / 2)]),
    });
    expect(streamed.status).toBe(413);
    const farOver = makeChunk(MAX + 1024 * 1024);
    expect((await postChunk(server.app, session, farOver.bytes, farOver.id)).statusCode).toBe(413);
    await nothingLeftFor(over.id);
    await nothingLeftFor(farOver.id);
  });

  it('leaves nothing behind when the client drops the connection mid-body', async () => {
    const chunk = makeChunk(4 * 1024 * 1024);
    const url = new URL(base);
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path: '/api/cloud/chunks',
      headers: {
        ...session.headers,
        'x-chunk-id': chunk.id,
        'content-type': 'application/octet-stream',
        'content-length': chunk.bytes.length,
      },
    });
    const failed = new Promise<void>((resolve) => req.on('error', () => resolve()));
    req.write(chunk.bytes.subarray(0, 1024 * 1024));
    // The server is streaming this body into staging: now cut the connection.
    await vi.waitFor(async () => expect(await vaultStaging(server)).toHaveLength(1), { timeout: 20_000 });
    req.destroy();
    await failed;
    await vi.waitFor(async () => expect(await vaultStaging(server)).toEqual([]), { timeout: 20_000 });
    await nothingLeftFor(chunk.id);
    expect((await getChunk(server.app, session, chunk.id)).statusCode).toBe(404);
    // The same chunk uploads normally afterwards.
    expect((await postChunk(server.app, session, chunk.bytes, chunk.id)).statusCode).toBe(200);
  });
});
