// StealthCloud manifests (PROTOCOL.md §4): first writer wins, sanitised ids, large bodies (defect 7), paging,
// and our v2 additions: declared chunk ids must all be stored; one manifest can be deleted.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../support/library.ts';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import { makeChunk, postManifest, storeChunks, vaultCall } from '../support/vault.ts';

const envelope = (label: string): string =>
  JSON.stringify({
    manifestNonce: randomBytes(24).toString('base64'),
    manifestBox: `${label}:${randomBytes(48).toString('base64')}`,
  });

describe('vault manifests', () => {
  let server: TestServer;
  let session: Session;
  beforeAll(async () => {
    server = await startTestServer();
    session = await registerUser(server.app);
  });
  afterAll(async () => server.close());

  const getManifest = (id: string, who = session) => vaultCall(server.app, who, 'GET', `/api/cloud/manifests/${id}`);

  it('stores a manifest; a second write under the same id is skipped and the first body kept', async () => {
    const first = envelope('first');
    const created = await postManifest(server.app, session, { manifestId: 'm-first', encryptedManifest: first });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toEqual({ ok: true, manifestId: 'm-first' });
    const again = await postManifest(server.app, session, {
      manifestId: 'm-first',
      encryptedManifest: envelope('second'),
      chunkCount: 3,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ok: true, manifestId: 'm-first', skipped: true, reason: 'manifestId' });
    const stored = await getManifest('m-first');
    expect(stored.statusCode).toBe(200);
    const body = stored.json<{ manifestId: string; encryptedManifest: string; createdAt: string }>();
    expect(body).toEqual({ manifestId: 'm-first', encryptedManifest: first, createdAt: expect.any(String) as unknown });
    expect(Number.isNaN(Date.parse(body.createdAt))).toBe(false);
  });

  it('keeps only [A-Za-z0-9_-] of an id and refuses ids that end up empty or over 128 characters', async () => {
    const sanitized = await postManifest(server.app, session, {
      manifestId: 'a/b.c',
      encryptedManifest: envelope('x'),
    });
    expect(sanitized.json()).toEqual({ ok: true, manifestId: 'abc' });
    expect((await getManifest('abc')).json()).toMatchObject({ manifestId: 'abc' });
    const exact = 'A_z-9'.repeat(25) + 'xyz';
    expect(exact).toHaveLength(128);
    expect((await postManifest(server.app, session, { manifestId: exact, encryptedManifest: 'e' })).statusCode).toBe(
      200,
    );
    for (const manifestId of ['', '../..', 'a'.repeat(129), '.'.repeat(5) + 'b'.repeat(129)]) {
      const response = await postManifest(server.app, session, { manifestId, encryptedManifest: envelope('x') });
      expect({ manifestId, status: response.statusCode }).toEqual({ manifestId, status: 400 });
      expect(response.json()).toHaveProperty('error');
    }
  });

  it('refuses missing or invalid fields and chunkCount <= 0', async () => {
    const bad: Record<string, unknown>[] = [
      {},
      { manifestId: 'bad-1' },
      { encryptedManifest: envelope('x') },
      { manifestId: 'bad-2', encryptedManifest: '' },
      { manifestId: 'bad-3', encryptedManifest: { not: 'a string' } },
      { manifestId: 42, encryptedManifest: envelope('x') },
      { manifestId: 'bad-4', encryptedManifest: envelope('x'), chunkCount: 0 },
      { manifestId: 'bad-5', encryptedManifest: envelope('x'), chunkCount: -1 },
      { manifestId: 'bad-6', encryptedManifest: envelope('x'), chunkCount: 1.5 },
      { manifestId: 'bad-7', encryptedManifest: envelope('x'), chunkIds: ['not-hex'] },
    ];
    for (const payload of bad) {
      const response = await postManifest(server.app, session, payload);
      expect({ payload, status: response.statusCode }).toEqual({ payload, status: 400 });
      expect(response.json()).toHaveProperty('error');
    }
    for (const id of ['bad-1', 'bad-2', 'bad-3', 'bad-4', 'bad-5', 'bad-6', 'bad-7']) {
      expect((await getManifest(id)).statusCode).toBe(404);
    }
  });

  it('defect 7: accepts a ~5 MB manifest (a 20+ GB video) and returns it identical', async () => {
    const big = randomBytes(3_800_000).toString('base64');
    expect(big.length).toBeGreaterThan(5_000_000);
    const response = await postManifest(server.app, session, {
      manifestId: 'big-video',
      encryptedManifest: big,
      chunkCount: 10_240,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true, manifestId: 'big-video' });
    const stored = await getManifest('big-video');
    expect(stored.statusCode).toBe(200);
    const body = stored.json<{ encryptedManifest: string }>().encryptedManifest;
    expect(body.length).toBe(big.length);
    expect(sha256(body)).toBe(sha256(big));
  });

  it('lists ids sorted, paged by offset/limit, with Cache-Control: no-store', async () => {
    const other = await registerUser(server.app);
    const ids = ['page-c', 'page-a', 'page-e', 'page-b', 'page-d'];
    for (const manifestId of ids) await postManifest(server.app, other, { manifestId, encryptedManifest: 'e' });
    const all = await vaultCall(server.app, other, 'GET', '/api/cloud/manifests');
    expect(all.statusCode).toBe(200);
    expect(all.headers['cache-control']).toBe('no-store');
    expect(all.json()).toEqual({ manifests: [...ids].sort().map((manifestId) => ({ manifestId })), total: 5 });
    const page = await vaultCall(server.app, other, 'GET', '/api/cloud/manifests?offset=1&limit=2');
    expect(page.json()).toEqual({ manifests: [{ manifestId: 'page-b' }, { manifestId: 'page-c' }], total: 5 });
    const zero = await vaultCall(server.app, other, 'GET', '/api/cloud/manifests?offset=3&limit=0');
    expect(zero.json()).toEqual({ manifests: [{ manifestId: 'page-d' }, { manifestId: 'page-e' }], total: 5 });
    const past = await vaultCall(server.app, other, 'GET', '/api/cloud/manifests?offset=10&limit=2');
    expect(past.json()).toEqual({ manifests: [], total: 5 });
  });

  it('answers 404 "Manifest not found" for an unknown id', async () => {
    const response = await getManifest('never-stored');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'Manifest not found' });
  });

  it('v2: accepts declared chunkIds that are all stored; refuses missing ones (MISSING_CHUNKS), storing nothing', async () => {
    const stored = [makeChunk(), makeChunk(), makeChunk()];
    await storeChunks(server.app, session, stored);
    const ids = stored.map((chunk) => chunk.id);
    const ok = await postManifest(server.app, session, {
      manifestId: 'v2-complete',
      encryptedManifest: envelope('v2'),
      chunkCount: 3,
      chunkIds: ids,
    });
    expect(ok.json()).toEqual({ ok: true, manifestId: 'v2-complete' });
    const absent = [makeChunk().id, makeChunk().id];
    const refused = await postManifest(server.app, session, {
      manifestId: 'v2-incomplete',
      encryptedManifest: envelope('v2'),
      chunkCount: 4,
      chunkIds: [ids[0], absent[0], ids[1], absent[1]],
    });
    expect(refused.statusCode).toBe(400);
    const body = refused.json<{ error: string; code: string; missing: string[] }>();
    expect(body.code).toBe('MISSING_CHUNKS');
    expect(body.error).toEqual(expect.any(String));
    expect([...body.missing].sort()).toEqual([...absent].sort());
    expect((await getManifest('v2-incomplete')).statusCode).toBe(404);
  });

  it('v2: DELETE removes one manifest (200), then 404', async () => {
    await postManifest(server.app, session, { manifestId: 'to-delete', encryptedManifest: 'e' });
    await postManifest(server.app, session, { manifestId: 'to-keep', encryptedManifest: 'e' });
    const deleted = await vaultCall(server.app, session, 'DELETE', '/api/v2/vault/manifests/to-delete');
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ deleted: true, manifestId: 'to-delete' });
    expect((await getManifest('to-delete')).statusCode).toBe(404);
    expect((await getManifest('to-keep')).statusCode).toBe(200);
    const again = await vaultCall(server.app, session, 'DELETE', '/api/v2/vault/manifests/to-delete');
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ error: 'Manifest not found' });
    // The id is free again: a new write is stored, not skipped.
    const rewritten = await postManifest(server.app, session, { manifestId: 'to-delete', encryptedManifest: 'new' });
    expect(rewritten.json()).toEqual({ ok: true, manifestId: 'to-delete' });
  });
});
