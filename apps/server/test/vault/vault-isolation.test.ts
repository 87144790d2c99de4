// Cross-account isolation on every vault endpoint (defect 1): storage belongs to the account, so Bob — even
// registered with Alice's device UUID — never reads, lists, deletes, purges or collects anything of Alice's.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountUuid, sha256 } from '../support/library.ts';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import {
  ageChunks,
  chunkFilesOf,
  chunkPath,
  makeChunk,
  postChunk,
  postManifest,
  storeChunks,
  usedBytes,
  vaultCall,
} from '../support/vault.ts';

describe('vault isolation between accounts', () => {
  let server: TestServer;
  let alice: Session;
  let bob: Session;
  let aliceUuid: string;
  let bobUuid: string;
  const aliceChunks = [makeChunk(3000), makeChunk(4000)];
  const orphan = makeChunk(5000); // Alice's, unreferenced and old: collectable, but only by Alice
  const aliceKeys = { v: 2, secret: 'alice-wrapped-key' };

  beforeAll(async () => {
    server = await startTestServer();
    alice = await registerUser(server.app);
    bob = await registerUser(server.app, { deviceUuid: alice.deviceUuid });
    aliceUuid = await accountUuid(server, alice);
    bobUuid = await accountUuid(server, bob);
    await storeChunks(server.app, alice, [...aliceChunks, orphan]);
    const ids = aliceChunks.map((chunk) => chunk.id);
    await postManifest(server.app, alice, { manifestId: 'alice-m', encryptedManifest: 'alice', chunkIds: ids });
    await vaultCall(server.app, alice, 'PUT', '/api/cloud/device-state', { state: { owner: 'alice' } });
    await vaultCall(server.app, alice, 'PUT', '/api/v2/vault/keys', { keyAttributes: aliceKeys });
    await ageChunks(server, alice, [orphan.id]);
    // Bob has data of his own, so "nothing of Alice's" below is not just an empty vault.
    const bobChunk = makeChunk(100);
    await storeChunks(server.app, bob, [bobChunk]);
    await postManifest(server.app, bob, { manifestId: 'bob-m', encryptedManifest: 'bob', chunkIds: [bobChunk.id] });
  });
  afterAll(async () => server.close());

  const aliceIntact = async () => {
    expect(await usedBytes(server.app, alice)).toBe(3000 + 4000 + 5000);
    for (const chunk of [...aliceChunks, orphan]) {
      const download = await vaultCall(server.app, alice, 'GET', `/api/cloud/chunks/${chunk.id}`);
      expect(sha256(download.rawPayload)).toBe(chunk.id);
    }
    expect((await vaultCall(server.app, alice, 'GET', '/api/cloud/manifests/alice-m')).statusCode).toBe(200);
  };

  it('shares the device UUID but not the storage', () => {
    expect(bob.headers['x-device-uuid']).toBe(alice.headers['x-device-uuid']);
    expect(bobUuid).not.toBe(aliceUuid);
  });

  it("Bob cannot download, list, read or delete Alice's chunks and manifests", async () => {
    for (const chunk of aliceChunks) {
      const download = await vaultCall(server.app, bob, 'GET', `/api/cloud/chunks/${chunk.id}`);
      expect(download.statusCode).toBe(404);
    }
    const have = await vaultCall(server.app, bob, 'POST', '/api/v2/vault/chunks/have', {
      chunkIds: aliceChunks.map((chunk) => chunk.id),
    });
    expect(have.json()).toEqual({ have: [], missing: aliceChunks.map((chunk) => chunk.id) });
    const list = await vaultCall(server.app, bob, 'GET', '/api/cloud/manifests');
    expect(list.json()).toEqual({ manifests: [{ manifestId: 'bob-m' }], total: 1 });
    expect((await vaultCall(server.app, bob, 'GET', '/api/cloud/manifests/alice-m')).statusCode).toBe(404);
    expect((await vaultCall(server.app, bob, 'DELETE', '/api/v2/vault/manifests/alice-m')).statusCode).toBe(404);
    // Bob cannot reference Alice's chunks from a manifest of his either.
    const borrowing = await postManifest(server.app, bob, {
      manifestId: 'borrow',
      encryptedManifest: 'x',
      chunkIds: [aliceChunks[0]!.id],
    });
    expect(borrowing.json()).toMatchObject({ code: 'MISSING_CHUNKS' });
    // Writing under Alice's manifest id creates Bob's own manifest and leaves Alice's as it was.
    expect((await postManifest(server.app, bob, { manifestId: 'alice-m', encryptedManifest: 'bob' })).json()).toEqual({
      ok: true,
      manifestId: 'alice-m',
    });
    expect((await vaultCall(server.app, alice, 'GET', '/api/cloud/manifests/alice-m')).json()).toMatchObject({
      encryptedManifest: 'alice',
    });
    await vaultCall(server.app, bob, 'DELETE', '/api/v2/vault/manifests/alice-m');
    await aliceIntact();
  });

  it("Bob cannot read Alice's device state, keys or usage", async () => {
    expect((await vaultCall(server.app, bob, 'GET', '/api/cloud/device-state')).json()).toEqual({
      state: null,
      updatedAt: null,
    });
    expect((await vaultCall(server.app, bob, 'GET', '/api/v2/vault/keys')).json()).toEqual({
      keyAttributes: null,
      updatedAt: null,
    });
    expect(await usedBytes(server.app, bob)).toBe(100);
    await vaultCall(server.app, bob, 'PUT', '/api/cloud/device-state', { state: { owner: 'bob' } });
    expect((await vaultCall(server.app, alice, 'GET', '/api/cloud/device-state')).json()).toMatchObject({
      state: { owner: 'alice' },
    });
    expect((await vaultCall(server.app, alice, 'GET', '/api/v2/vault/keys')).json()).toMatchObject({
      keyAttributes: aliceKeys,
    });
  });

  it("Bob's upload of the same chunk id is his own copy, counted in his usage only", async () => {
    const same = aliceChunks[1]!;
    expect((await postChunk(server.app, bob, same.bytes)).json()).toEqual({ chunkId: same.id, stored: true });
    expect(await usedBytes(server.app, bob)).toBe(100 + same.bytes.length);
    expect(sha256(await readFile(chunkPath(server, bobUuid, same.id)))).toBe(same.id);
    expect(await chunkFilesOf(server, bobUuid)).toContain(same.id);
    await aliceIntact();
  });

  it("Bob's purge and garbage collection never touch Alice's data", async () => {
    const collected = await vaultCall(server.app, bob, 'POST', '/api/v2/vault/gc', { graceSeconds: 3600 });
    expect(collected.statusCode).toBe(200);
    // Bob's manifests all declare their chunks, so his collection really runs — over his data only.
    expect(collected.json()).toEqual({ deletedChunks: 0, freedBytes: 0 });
    const purged = await vaultCall(server.app, bob, 'POST', '/api/cloud/purge');
    expect(purged.json()).toEqual({ ok: true, deleted: { chunks: 2, manifests: 1 } });
    expect(await chunkFilesOf(server, bobUuid)).toEqual([]);
    expect(await chunkFilesOf(server, aliceUuid)).toEqual([...aliceChunks, orphan].map((chunk) => chunk.id).sort());
    await aliceIntact();
    // Alice's own collection does reach her orphan: it was only protected from Bob.
    const own = await vaultCall(server.app, alice, 'POST', '/api/v2/vault/gc', {});
    expect(own.json()).toEqual({ deletedChunks: 1, freedBytes: 5000 });
  });
});
