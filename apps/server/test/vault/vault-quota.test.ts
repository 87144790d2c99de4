// StealthCloud quotas: set by the administrator (the first account), enforced in the database so that
// concurrent uploads — in one process or in two processes sharing a data directory — never exceed them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountUuid, httpCall, type HttpResult } from '../support/library.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import {
  chunkFilesOf,
  chunkRows,
  makeChunk,
  postChunk,
  usedBytes,
  vaultCall,
  vaultStaging,
  type Chunk,
} from '../support/vault.ts';

const SIZE = 10_000;
const json = (result: HttpResult) => JSON.parse(result.body.toString()) as Record<string, unknown>;

/** Upload over a real socket; `declared` false streams it chunked (no Content-Length, no early refusal). */
function upload(base: string, session: Session, chunk: Chunk, declared: boolean) {
  const headers = { ...session.headers, 'x-chunk-id': chunk.id, 'content-type': 'application/octet-stream' };
  return httpCall(base, {
    method: 'POST',
    path: '/api/cloud/chunks',
    headers: declared ? { ...headers, 'content-length': chunk.bytes.length } : headers,
    body: declared ? chunk.bytes : Readable.from([chunk.bytes.subarray(0, 4000), chunk.bytes.subarray(4000)]),
  });
}

describe('vault quotas', () => {
  let server: TestServer;
  let base: string;
  let admin: Session;
  beforeAll(async () => {
    server = await startTestServer();
    base = await server.listen();
    admin = await registerUser(server.app);
  });
  afterAll(async () => server.close());

  const setQuota = (who: Session, id: number, quotaBytes: number | null) =>
    vaultCall(server.app, who, 'PUT', `/api/v2/admin/accounts/${id}/quota`, { quotaBytes });

  it('only the administrator sets quotas', async () => {
    const user = await registerUser(server.app);
    const denied = await setQuota(user, user.userId, 1);
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'ADMIN_ONLY' });
    expect((await vaultCall(server.app, user, 'GET', '/api/cloud/usage')).json()).toMatchObject({ unlimited: true });
    expect((await setQuota(admin, 999_999, 1)).statusCode).toBe(404);
    expect((await setQuota(admin, user.userId, -1)).statusCode).toBe(400);
    const set = await setQuota(admin, user.userId, 5 * SIZE);
    expect(set.json()).toEqual({ ok: true, id: user.userId, quotaBytes: 5 * SIZE });
    expect((await vaultCall(server.app, user, 'GET', '/api/cloud/usage')).json()).toMatchObject({
      unlimited: false,
      quotaBytes: 5 * SIZE,
      usedBytes: 0,
      remainingBytes: 5 * SIZE,
    });
  });

  it('refuses an upload over quota with 413 QUOTA_EXCEEDED and stores nothing; clearing the quota lifts it', async () => {
    const user = await registerUser(server.app);
    const uuid = await accountUuid(server, user);
    await setQuota(admin, user.userId, 3 * SIZE);
    const fitting = [makeChunk(SIZE), makeChunk(SIZE), makeChunk(SIZE)];
    for (const chunk of fitting) expect((await postChunk(server.app, user, chunk.bytes)).statusCode).toBe(200);
    const extra = makeChunk(SIZE);
    for (const declared of [true, false]) {
      const refused = await upload(base, user, extra, declared);
      expect(refused.status).toBe(413);
      expect(json(refused)).toEqual({
        error: 'Storage limit reached',
        code: 'QUOTA_EXCEEDED',
        usedBytes: 3 * SIZE,
        quotaBytes: 3 * SIZE,
        remainingBytes: 0,
      });
    }
    expect((await chunkRows(server, user)).has(extra.id)).toBe(false);
    expect(await chunkFilesOf(server, uuid)).toEqual(fitting.map((chunk) => chunk.id).sort());
    expect(await vaultStaging(server)).toEqual([]);
    expect(await usedBytes(server.app, user)).toBe(3 * SIZE);
    // A chunk already stored costs nothing: re-sending it at the limit is still fine.
    expect((await postChunk(server.app, user, fitting[0]!.bytes)).statusCode).toBe(200);
    const listing = await vaultCall(server.app, admin, 'GET', '/api/v2/admin/accounts');
    expect(listing.json<{ accounts: { id: number }[] }>().accounts.find((a) => a.id === user.userId)).toMatchObject({
      vaultBytes: 3 * SIZE,
      quotaBytes: 3 * SIZE,
    });
    expect((await setQuota(admin, user.userId, null)).json()).toEqual({ ok: true, id: user.userId, quotaBytes: null });
    expect((await postChunk(server.app, user, extra.bytes)).statusCode).toBe(200);
    expect((await vaultCall(server.app, user, 'GET', '/api/cloud/usage')).json()).toMatchObject({
      unlimited: true,
      usedBytes: 4 * SIZE,
    });
  });

  it('race: 40 concurrent uploads against a 10-chunk quota store exactly what was answered 200', async () => {
    const user = await registerUser(server.app);
    const uuid = await accountUuid(server, user);
    await setQuota(admin, user.userId, 10 * SIZE);
    const chunks = Array.from({ length: 40 }, () => makeChunk(SIZE));
    const results = await Promise.all(chunks.map((chunk, i) => upload(base, user, chunk, i % 2 === 0)));
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status !== 200 && status !== 413)).toEqual([]);
    const accepted = chunks.filter((_, i) => statuses[i] === 200).map((chunk) => chunk.id);
    expect(accepted).toHaveLength(10);
    for (const [i, result] of results.entries()) {
      if (statuses[i] === 413) expect(json(result)).toMatchObject({ code: 'QUOTA_EXCEEDED', quotaBytes: 10 * SIZE });
    }
    const rows = await chunkRows(server, user);
    expect([...rows.keys()].sort()).toEqual([...accepted].sort());
    expect(await chunkFilesOf(server, uuid)).toEqual([...accepted].sort());
    expect(await usedBytes(server.app, user)).toBe([...rows.values()].reduce((sum, size) => sum + size, 0));
    expect(await usedBytes(server.app, user)).toBeLessThanOrEqual(10 * SIZE);
    expect(await vaultStaging(server)).toEqual([]);
  });
});

describe('vault quota across two server processes on one data directory', () => {
  let dataDir: string;
  const processes: ServerProcess[] = [];
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'photosync-quota-'));
  });
  afterAll(async () => {
    // Only if the test failed before stopping them itself.
    for (const child of processes) if (child.child.exitCode === null) await child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('never lets concurrent uploads to both processes exceed the quota', async () => {
    const first = await startServerProcess(dataDir);
    processes.push(first);
    const second = await startServerProcess(dataDir);
    processes.push(second);
    const send = (method: string, url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
      httpCall(url, {
        method,
        path,
        headers: { ...headers, 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify(body)),
      });
    const register = async (name: string): Promise<Session> => {
      const email = `${name}@example.com`;
      const deviceUuid = `device-${name}`;
      const response = await send('POST', first.url, '/api/register', {
        email,
        password: 'pw-123456',
        device_uuid: deviceUuid,
      });
      expect(response.status, response.body.toString()).toBe(201);
      const { token, userId } = json(response) as { token: string; userId: number };
      const headers = { authorization: `Bearer ${token}`, 'x-device-uuid': deviceUuid };
      return { token, userId, email, deviceUuid, headers };
    };
    const admin = await register('admin');
    const user = await register('user');
    const quota = 10 * SIZE;
    const set = await send(
      'PUT',
      second.url,
      `/api/v2/admin/accounts/${user.userId}/quota`,
      { quotaBytes: quota },
      admin.headers,
    );
    expect(set.status, set.body.toString()).toBe(200);
    const preload = Array.from({ length: 6 }, () => makeChunk(SIZE));
    for (const chunk of preload) expect((await upload(first.url, user, chunk, true)).status).toBe(200);
    const shared = Array.from({ length: 10 }, () => makeChunk(SIZE));
    const own = Array.from({ length: 20 }, () => makeChunk(SIZE));
    const jobs = [
      ...own.map((chunk, i) => ({ chunk, url: i % 2 === 0 ? first.url : second.url })),
      ...shared.flatMap((chunk) => [first.url, second.url].map((url) => ({ chunk, url }))),
    ];
    const results = await Promise.all(jobs.map(({ chunk, url }) => upload(url, user, chunk, false)));
    expect(
      results
        .map((result, i) => `${result.status} ${i >= own.length ? 'shared' : 'own'} ${result.body.toString()}`)
        .filter((line) => !line.startsWith('200') && !line.startsWith('413')),
    ).toEqual([]);
    const accepted = new Set(jobs.filter((_, i) => results[i]!.status === 200).map((job) => job.chunk.id));
    expect(await first.kill('SIGTERM')).toBe(0);
    expect(await second.kill('SIGTERM')).toBe(0);
    expect(await vaultStaging({ dataDir })).toEqual([]);

    const inspector = await startTestServer({}, dataDir);
    try {
      const rows = await chunkRows(inspector, user);
      const stored = [...rows.keys()].filter((id) => !preload.some((chunk) => chunk.id === id));
      expect(new Set(stored)).toEqual(accepted);
      expect(stored).toHaveLength(4);
      const total = [...rows.values()].reduce((sum, size) => sum + size, 0);
      expect(total).toBeLessThanOrEqual(quota);
      expect(await usedBytes(inspector.app, user)).toBe(total);
      expect(await chunkFilesOf(inspector, await accountUuid(inspector, user))).toEqual([...rows.keys()].sort());
    } finally {
      await inspector.close();
    }
  });
});
