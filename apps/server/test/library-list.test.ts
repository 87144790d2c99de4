// GET /api/files answers from the index in name order with offset/limit (defect 10: no directory scan);
// totals stay exact through uploads, duplicates, v2 deletes and purge.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountDir, accountUuid, filesOnDisk } from './support/library.ts';
import { registerUser, startTestServer, uploadRaw, type Session, type TestServer } from './support/test-server.ts';

interface Listing {
  files: { filename: string; size: number; created_at: string }[];
  total: number;
}

async function list(app: FastifyInstance, session: Session, query = ''): Promise<Listing> {
  const response = await app.inject({ url: `/api/files${query}`, headers: session.headers });
  expect(response.statusCode).toBe(200);
  return response.json<Listing>();
}

async function stats(app: FastifyInstance, session: Session): Promise<unknown> {
  return (await app.inject({ url: '/api/v2/library/stats', headers: session.headers })).json();
}

describe('GET /api/files', () => {
  let server: TestServer;
  let session: Session;
  const sizes: Record<string, number> = {
    'c.jpg': 30,
    'a.jpg': 10,
    '2.jpg': 22,
    'B.jpg': 11,
    '10.jpg': 100,
    'b.jpg': 20,
  };
  const nameOrder = ['10.jpg', '2.jpg', 'B.jpg', 'a.jpg', 'b.jpg', 'c.jpg'];

  beforeAll(async () => {
    server = await startTestServer();
    session = await registerUser(server.app);
    for (const [name, size] of Object.entries(sizes)) await uploadRaw(server.app, session, name, randomBytes(size));
  });
  afterAll(async () => server.close());

  it('lists every file as {filename, size, created_at} in name order with the total', async () => {
    const { files, total } = await list(server.app, session);
    expect(total).toBe(6);
    expect(files.map((file) => file.filename)).toEqual(nameOrder);
    for (const file of files) {
      expect(Object.keys(file).sort()).toEqual(['created_at', 'filename', 'size']);
      expect(file.size).toBe(sizes[file.filename]);
      expect(new Date(file.created_at).toISOString()).toBe(file.created_at);
    }
  });

  it.each([
    ['?limit=0', nameOrder],
    ['?offset=0&limit=2', nameOrder.slice(0, 2)],
    ['?offset=2&limit=2', nameOrder.slice(2, 4)],
    ['?offset=5&limit=10', nameOrder.slice(5)],
    ['?offset=3', nameOrder.slice(3)],
    ['?offset=3&limit=0', nameOrder.slice(3)],
    ['?offset=6&limit=2', []],
    ['?offset=1000', []],
  ])('pages with %s', async (query, expected) => {
    const { files, total } = await list(server.app, session, query);
    expect(files.map((file) => file.filename)).toEqual(expected);
    expect(total).toBe(6);
  });

  it.each(['?offset=-1', '?limit=-5', '?offset=abc', '?limit=ten', '?limit=1.5', '?offset=1e400'])(
    'refuses %s with 400 JSON',
    async (query) => {
      const response = await server.app.inject({ url: `/api/files${query}`, headers: session.headers });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toHaveProperty('error');
    },
  );
});

describe('totals through uploads, duplicates, deletes and purge', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('keeps total and stats exact, and delete/purge really remove the files', async () => {
    const session = await registerUser(server.app);
    const uuid = await accountUuid(server, session);
    const one = randomBytes(1000);
    await uploadRaw(server.app, session, 'one.jpg', one);
    await uploadRaw(server.app, session, 'two.jpg', randomBytes(2000));
    expect(await stats(server.app, session)).toEqual({ count: 2, bytes: 3000 });
    await uploadRaw(server.app, session, 'again.jpg', one);
    expect((await list(server.app, session)).total).toBe(2);
    await uploadRaw(server.app, session, 'one.jpg', randomBytes(500));
    expect((await list(server.app, session)).total).toBe(3);
    expect(await stats(server.app, session)).toEqual({ count: 3, bytes: 3500 });

    const url = `/api/v2/files/${encodeURIComponent('one (1).jpg')}`;
    const removed = await server.app.inject({ method: 'DELETE', url, headers: session.headers });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toEqual({ deleted: true, filename: 'one (1).jpg' });
    const again = await server.app.inject({ method: 'DELETE', url, headers: session.headers });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ error: 'File not found' });
    expect(await filesOnDisk(server, uuid)).toEqual(['one.jpg', 'two.jpg']);
    expect(await list(server.app, session)).toMatchObject({ total: 2 });
    expect(await stats(server.app, session)).toEqual({ count: 2, bytes: 3000 });

    const purge = await server.app.inject({ method: 'POST', url: '/api/files/purge', headers: session.headers });
    expect(purge.statusCode).toBe(200);
    expect(purge.json()).toEqual({ ok: true, deleted: { files: 2 } });
    expect(await filesOnDisk(server, uuid)).toEqual([]);
    expect(await list(server.app, session)).toEqual({ files: [], total: 0 });
    expect(await stats(server.app, session)).toEqual({ count: 0, bytes: 0 });
    // Purged content is gone, so it is new again rather than a duplicate.
    expect((await uploadRaw(server.app, session, 'one.jpg', one)).json()).toMatchObject({ message: 'File uploaded' });
    expect(await stats(server.app, session)).toEqual({ count: 1, bytes: 1000 });
  });
});

describe('the listing reads the index, not the directory', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'photosync-list-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('ignores changes made behind its back until start-up recovery reconciles them', async () => {
    let server = await startTestServer({}, dataDir);
    const session = await registerUser(server.app);
    const uuid = await accountUuid(server, session);
    await uploadRaw(server.app, session, 'kept.jpg', randomBytes(10));
    await uploadRaw(server.app, session, 'vanished.jpg', randomBytes(20));
    await unlink(join(accountDir(server, uuid), 'vanished.jpg'));
    const stray = randomBytes(30);
    await writeFile(join(accountDir(server, uuid), 'stray.jpg'), stray);

    const before = await list(server.app, session);
    expect(before.files.map((file) => file.filename)).toEqual(['kept.jpg', 'vanished.jpg']);
    expect(before.total).toBe(2);
    const gone = await server.app.inject({ url: '/api/files/vanished.jpg', headers: session.headers });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ error: 'File not found' });
    await server.close();

    server = await startTestServer({}, dataDir);
    try {
      expect(server.context.recovery.indexed).toEqual([`${uuid}/stray.jpg`]);
      expect(server.context.recovery.missing).toEqual([`${uuid}/vanished.jpg`]);
      const after = await list(server.app, session);
      expect(after.files.map((file) => file.filename)).toEqual(['kept.jpg', 'stray.jpg', 'vanished.jpg']);
      expect(after.files.find((file) => file.filename === 'stray.jpg')?.size).toBe(30);
      const download = await server.app.inject({ url: '/api/files/stray.jpg', headers: session.headers });
      expect(download.rawPayload).toEqual(stray);
    } finally {
      await server.close();
    }
  });
});
