// Garbage collection (POST /api/v2/vault/gc): only chunks that no manifest references and nobody touched within
// the grace period go; never while a v1 manifest (which does not declare its chunks) exists.
import { access } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountUuid } from '../support/library.ts';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import {
  ageChunks,
  chunkFilesOf,
  chunkPath,
  chunkRows,
  makeChunk,
  postManifest,
  storeChunks,
  usedBytes,
  vaultCall,
  type Chunk,
} from '../support/vault.ts';

const HOUR_MS = 3_600_000;

describe('vault garbage collection', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  const gc = async (session: Session, body: Record<string, unknown> = {}) => {
    const response = await vaultCall(server.app, session, 'POST', '/api/v2/vault/gc', body);
    expect(response.statusCode).toBe(200);
    return response.json<{ deletedChunks: number; freedBytes: number; skippedReason?: string }>();
  };
  const ids = (chunks: readonly Chunk[]) => chunks.map((chunk) => chunk.id);
  const sizeOf = (chunks: readonly Chunk[]) => chunks.reduce((sum, chunk) => sum + chunk.bytes.length, 0);
  const exists = (path: string) =>
    access(path).then(
      () => true,
      () => false,
    );

  it('collects old unreferenced chunks (rows, files, usage) and keeps referenced and recently touched ones', async () => {
    const session = await registerUser(server.app);
    const uuid = await accountUuid(server, session);
    const referenced = [makeChunk(1000), makeChunk(1100)];
    const orphans = [makeChunk(1200), makeChunk(1300), makeChunk(1400)];
    const haveAnswered = makeChunk(1500);
    await storeChunks(server.app, session, [...referenced, ...orphans, haveAnswered]);
    const manifest = { manifestId: 'v2-a', encryptedManifest: 'e', chunkCount: 2, chunkIds: ids(referenced) };
    expect((await postManifest(server.app, session, manifest)).statusCode).toBe(200);
    await ageChunks(server, session, [...ids(referenced), ...ids(orphans), haveAnswered.id]);
    // Chunks a client just asked about are about to be referenced by the manifest it is uploading.
    const have = await vaultCall(server.app, session, 'POST', '/api/v2/vault/chunks/have', {
      chunkIds: [haveAnswered.id],
    });
    expect(have.json()).toMatchObject({ have: [haveAnswered.id] });
    const fresh = makeChunk(1600); // just uploaded, not aged
    await storeChunks(server.app, session, [fresh]);
    const before = await usedBytes(server.app, session);

    const result = await gc(session);
    expect(result).toEqual({ deletedChunks: 3, freedBytes: sizeOf(orphans) });
    expect(await usedBytes(server.app, session)).toBe(before - sizeOf(orphans));
    const kept = [...ids(referenced), haveAnswered.id, fresh.id].sort();
    expect([...(await chunkRows(server, session)).keys()].sort()).toEqual(kept);
    expect(await chunkFilesOf(server, uuid)).toEqual(kept);
    for (const orphan of orphans) {
      expect(await exists(chunkPath(server, uuid, orphan.id))).toBe(false);
      const download = await vaultCall(server.app, session, 'GET', `/api/cloud/chunks/${orphan.id}`);
      expect(download.statusCode).toBe(404);
    }
    // Nothing more to collect: a second run is a no-op.
    expect(await gc(session)).toEqual({ deletedChunks: 0, freedBytes: 0 });
  });

  it('raises a grace period below one hour to one hour; the default is one day', async () => {
    const session = await registerUser(server.app);
    const recent = makeChunk(700);
    const older = makeChunk(800);
    await storeChunks(server.app, session, [recent, older]);
    await ageChunks(server, session, [recent.id], Date.now() - HOUR_MS / 2);
    await ageChunks(server, session, [older.id], Date.now() - 2 * HOUR_MS);
    // Default grace (a day): neither is old enough.
    expect(await gc(session)).toEqual({ deletedChunks: 0, freedBytes: 0 });
    // graceSeconds 0 acts as 3600: only the two-hour-old chunk goes.
    expect(await gc(session, { graceSeconds: 0 })).toEqual({ deletedChunks: 1, freedBytes: 800 });
    expect([...(await chunkRows(server, session)).keys()]).toEqual([recent.id]);
    expect(await gc(session, { graceSeconds: 60 })).toEqual({ deletedChunks: 0, freedBytes: 0 });
    expect((await vaultCall(server.app, session, 'POST', '/api/v2/vault/gc', { graceSeconds: -1 })).statusCode).toBe(
      400,
    );
  });

  it('collects nothing while a v1 manifest (no declared chunks) exists', async () => {
    const session = await registerUser(server.app);
    const chunks = [makeChunk(900), makeChunk(901)];
    await storeChunks(server.app, session, chunks);
    await postManifest(server.app, session, { manifestId: 'v1-file', encryptedManifest: 'e', chunkCount: 2 });
    await ageChunks(server, session, ids(chunks));
    const skipped = await gc(session, { graceSeconds: 3600 });
    expect(skipped).toMatchObject({ deletedChunks: 0, freedBytes: 0, skippedReason: expect.any(String) as unknown });
    expect((await chunkRows(server, session)).size).toBe(2);
    expect(await usedBytes(server.app, session)).toBe(sizeOf(chunks));
    // Once the v1 manifest is gone, the chunks are unreferenced and old: collected.
    await vaultCall(server.app, session, 'DELETE', '/api/v2/vault/manifests/v1-file');
    expect(await gc(session)).toEqual({ deletedChunks: 2, freedBytes: sizeOf(chunks) });
  });

  it('frees the chunks of a deleted manifest, except those another manifest still references', async () => {
    const session = await registerUser(server.app);
    const uuid = await accountUuid(server, session);
    const shared = makeChunk(500);
    const onlyA = [makeChunk(510), makeChunk(520)];
    const onlyB = makeChunk(530);
    await storeChunks(server.app, session, [shared, ...onlyA, onlyB]);
    await postManifest(server.app, session, {
      manifestId: 'A',
      encryptedManifest: 'a',
      chunkIds: [...ids(onlyA), shared.id],
    });
    await postManifest(server.app, session, {
      manifestId: 'B',
      encryptedManifest: 'b',
      chunkIds: [shared.id, onlyB.id],
    });
    await ageChunks(server, session, [shared.id, ...ids(onlyA), onlyB.id]);
    expect(await gc(session)).toEqual({ deletedChunks: 0, freedBytes: 0 });
    expect((await vaultCall(server.app, session, 'DELETE', '/api/v2/vault/manifests/A')).statusCode).toBe(200);
    expect(await gc(session)).toEqual({ deletedChunks: 2, freedBytes: sizeOf(onlyA) });
    expect(await chunkFilesOf(server, uuid)).toEqual([shared.id, onlyB.id].sort());
    expect(await usedBytes(server.app, session)).toBe(sizeOf([shared, onlyB]));
    const manifestB = await vaultCall(server.app, session, 'GET', '/api/cloud/manifests/B');
    expect(manifestB.json()).toMatchObject({ encryptedManifest: 'b' });
    // A collected chunk can be uploaded again and is then stored afresh.
    await storeChunks(server.app, session, [onlyA[0]!]);
    expect((await chunkRows(server, session)).has(onlyA[0]!.id)).toBe(true);
    expect(await exists(chunkPath(server, uuid, onlyA[0]!.id))).toBe(true);
  });
});
