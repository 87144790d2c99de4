// StealthCloud account state (PROTOCOL.md §4): usage and subscription, device state, purge, capacity, and
// our /api/v2/vault additions: bulk "have" and the opaque v2 key attributes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountUuid } from '../support/library.ts';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import {
  chunkFilesOf,
  chunkRows,
  makeChunk,
  postChunk,
  postManifest,
  storeChunks,
  usedBytes,
  vaultCall,
} from '../support/vault.ts';

describe('vault account', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  const call = (session: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    vaultCall(server.app, session, method, url, payload);

  it('reports usage in the documented shape; usedBytes is the sum of stored chunks, duplicates once', async () => {
    const session = await registerUser(server.app);
    const empty = (await call(session, 'GET', '/api/cloud/usage')).json<Record<string, unknown>>();
    expect(empty).toEqual({
      planGb: expect.any(Number) as unknown,
      quotaBytes: expect.any(Number) as unknown,
      usedBytes: 0,
      remainingBytes: expect.any(Number) as unknown,
      marginBytes: 0,
      unlimited: true,
      subscription: expect.objectContaining({ allowed: true, status: 'active' }) as unknown,
      serverFreeBytes: expect.any(Number) as unknown,
    });
    expect(empty['serverFreeBytes']).toBeGreaterThan(0);
    const chunks = [makeChunk(1000), makeChunk(2500), makeChunk(40_000)];
    await storeChunks(server.app, session, chunks);
    await storeChunks(server.app, session, [chunks[0]!, chunks[2]!]); // duplicates are not charged again
    const usage = (await call(session, 'GET', '/api/cloud/usage')).json<Record<string, number>>();
    expect(usage['usedBytes']).toBe(43_500);
    expect(usage['quotaBytes']).toBe(43_500 + (usage['serverFreeBytes'] ?? 0));
    expect(usage['remainingBytes']).toBe(usage['serverFreeBytes']);
    const subscription = await call(session, 'GET', '/api/subscription/status');
    expect(subscription.statusCode).toBe(200);
    expect(subscription.json()).toMatchObject({ allowed: true, status: 'active' });
  });

  it('saves device state given as {state:{...}} or as the bare object, and refuses non-objects', async () => {
    const session = await registerUser(server.app);
    expect((await call(session, 'GET', '/api/cloud/device-state')).json()).toEqual({ state: null, updatedAt: null });
    const wrapped = await call(session, 'PUT', '/api/cloud/device-state', { state: { lastSync: 7, albums: ['a'] } });
    expect(wrapped.statusCode).toBe(200);
    const { updatedAt } = wrapped.json<{ ok: boolean; updatedAt: string }>();
    expect(wrapped.json()).toEqual({ ok: true, updatedAt: expect.any(String) as unknown });
    expect((await call(session, 'GET', '/api/cloud/device-state')).json()).toEqual({
      state: { lastSync: 7, albums: ['a'] },
      updatedAt,
    });
    const bare = await call(session, 'PUT', '/api/cloud/device-state', { cursor: 'x', nested: { n: 1 } });
    expect(bare.statusCode).toBe(200);
    expect((await call(session, 'GET', '/api/cloud/device-state')).json()).toMatchObject({
      state: { cursor: 'x', nested: { n: 1 } },
    });
    for (const payload of [[1, 2], 'a string', 42]) {
      const response = await server.app.inject({
        method: 'PUT',
        url: '/api/cloud/device-state',
        headers: { ...session.headers, 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
      expect({ payload, status: response.statusCode }).toEqual({ payload, status: 400 });
    }
    const tooLarge = await call(session, 'PUT', '/api/cloud/device-state', { state: { blob: 'x'.repeat(101 * 1024) } });
    expect(tooLarge.statusCode).toBe(413);
    const justFits = await call(session, 'PUT', '/api/cloud/device-state', { blob: 'y'.repeat(100 * 1024 - 20) });
    expect(justFits.statusCode).toBe(200);
    const kept = await call(session, 'GET', '/api/cloud/device-state');
    expect(kept.json<{ state: { blob: string } }>().state.blob).toHaveLength(100 * 1024 - 20);
  });

  it('purges every chunk and manifest (files too), keeps the key attributes', async () => {
    const session = await registerUser(server.app);
    const uuid = await accountUuid(server, session);
    const chunks = [makeChunk(), makeChunk(), makeChunk()];
    await storeChunks(server.app, session, chunks);
    await postManifest(server.app, session, { manifestId: 'p1', encryptedManifest: 'e' });
    await postManifest(server.app, session, { manifestId: 'p2', encryptedManifest: 'e', chunkIds: [chunks[0]!.id] });
    await call(session, 'PUT', '/api/v2/vault/keys', { keyAttributes: { v: 2, opaque: 'wrapped' } });
    expect(await chunkFilesOf(server, uuid)).toHaveLength(3);
    const purged = await call(session, 'POST', '/api/cloud/purge');
    expect(purged.statusCode).toBe(200);
    expect(purged.json()).toEqual({ ok: true, deleted: { chunks: 3, manifests: 2 } });
    expect(await chunkFilesOf(server, uuid)).toEqual([]);
    expect((await chunkRows(server, session)).size).toBe(0);
    expect(await usedBytes(server.app, session)).toBe(0);
    expect((await call(session, 'GET', '/api/cloud/manifests')).json()).toEqual({ manifests: [], total: 0 });
    expect((await call(session, 'GET', `/api/cloud/chunks/${chunks[0]!.id}`)).statusCode).toBe(404);
    expect((await call(session, 'GET', '/api/v2/vault/keys')).json()).toMatchObject({
      keyAttributes: { v: 2, opaque: 'wrapped' },
    });
    // The vault works again after a purge, and the same chunk is stored afresh.
    expect((await postChunk(server.app, session, chunks[0]!.bytes)).statusCode).toBe(200);
    expect(await usedBytes(server.app, session)).toBe(chunks[0]!.bytes.length);
  });

  it('answers capacity without authentication on both paths', async () => {
    for (const url of ['/api/capacity', '/.well-known/photosync-capacity.json']) {
      const response = await server.app.inject({ url });
      expect(response.statusCode).toBe(200);
      const body = response.json<{ freeBytes: number; totalBytes: number }>();
      expect(body).toEqual({ freeBytes: expect.any(Number) as unknown, totalBytes: expect.any(Number) as unknown });
      expect(body.freeBytes).toBeGreaterThan(0);
      expect(body.totalBytes).toBeGreaterThanOrEqual(body.freeBytes);
    }
  });

  it('v2 have: splits 5,000 ids exactly into have/missing in request order; refuses more than 10,000', async () => {
    const session = await registerUser(server.app);
    const stored = Array.from({ length: 40 }, () => makeChunk(64));
    await storeChunks(server.app, session, stored);
    const storedIds = new Set(stored.map((chunk) => chunk.id));
    // One stored id every 125 positions, unknown ids elsewhere.
    const asked = Array.from({ length: 5000 }, (_, i) =>
      i % 125 === 7 ? stored[Math.floor(i / 125)]!.id : makeChunk(8).id,
    );
    const response = await call(session, 'POST', '/api/v2/vault/chunks/have', { chunkIds: asked });
    expect(response.statusCode).toBe(200);
    const { have, missing } = response.json<{ have: string[]; missing: string[] }>();
    expect(have).toEqual(asked.filter((id) => storedIds.has(id)));
    expect(have).toHaveLength(40);
    expect(missing).toEqual(asked.filter((id) => !storedIds.has(id)));
    expect(missing).toHaveLength(4960);
    const tooMany = Array.from({ length: 10_001 }, () => makeChunk(8).id);
    expect((await call(session, 'POST', '/api/v2/vault/chunks/have', { chunkIds: tooMany })).statusCode).toBe(400);
    expect((await call(session, 'POST', '/api/v2/vault/chunks/have', { chunkIds: ['XYZ'] })).statusCode).toBe(400);
    expect((await call(session, 'POST', '/api/v2/vault/chunks/have', { chunkIds: [] })).statusCode).toBe(400);
  });

  it('v2 keys: null until saved, then exactly the saved object', async () => {
    const session = await registerUser(server.app);
    expect((await call(session, 'GET', '/api/v2/vault/keys')).json()).toEqual({ keyAttributes: null, updatedAt: null });
    const keyAttributes = {
      v: 2,
      kdf: { alg: 'argon2id', version: 19, memoryKiB: 65536, iterations: 3, parallelism: 1, salt: 'c2FsdA==' },
      masterKeyByPassword: { nonce: 'bm9uY2U=', box: 'Ym94' },
      masterKeyByRecoveryKey: { nonce: 'bm9uY2Uy', box: 'Ym94Mg==' },
    };
    const saved = await call(session, 'PUT', '/api/v2/vault/keys', { keyAttributes });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ ok: true, updatedAt: expect.any(String) as unknown });
    expect((await call(session, 'GET', '/api/v2/vault/keys')).json()).toEqual({
      keyAttributes,
      updatedAt: saved.json<{ updatedAt: string }>().updatedAt,
    });
    expect((await call(session, 'PUT', '/api/v2/vault/keys', { keyAttributes: 'nope' })).statusCode).toBe(400);
    expect((await call(session, 'PUT', '/api/v2/vault/keys', {})).statusCode).toBe(400);
  });
});
