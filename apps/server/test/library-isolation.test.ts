// One account can never reach another's files: not by traversal in the download name (defect 3), not by
// borrowing the other's device UUID (defect 1), not through list, download, delete, purge or dedup.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountUuid, filesOnDisk, httpCall, readStored } from './support/library.ts';
import { registerUser, startTestServer, uploadRaw, type Session, type TestServer } from './support/test-server.ts';

describe('library isolation between accounts', () => {
  let server: TestServer;
  let base: string;
  let alice: Session;
  let bob: Session;
  let aliceUuid: string;
  let bobUuid: string;
  const secret = randomBytes(4096);

  beforeAll(async () => {
    server = await startTestServer();
    base = await server.listen();
    alice = await registerUser(server.app);
    // Bob's phone reports Alice's device UUID: storage must still follow the account, not the device.
    bob = await registerUser(server.app, { deviceUuid: alice.deviceUuid });
    aliceUuid = await accountUuid(server, alice);
    bobUuid = await accountUuid(server, bob);
    expect((await uploadRaw(server.app, alice, 'secret.jpg', secret)).statusCode).toBe(200);
    // Bob has a file of his own, so "not found" below is not just an empty library.
    expect((await uploadRaw(server.app, bob, 'mine.jpg', randomBytes(100))).statusCode).toBe(200);
  });
  afterAll(async () => server.close());

  const containsSecret = (body: Buffer): boolean => body.includes(secret.subarray(0, 64));

  it('gives each account its own folder, not derived from the device', () => {
    expect(aliceUuid).not.toBe(bobUuid);
    expect(alice.headers['x-device-uuid']).toBe(bob.headers['x-device-uuid']);
    expect(aliceUuid).not.toContain(alice.deviceUuid);
  });

  it("defect 3: encoded traversal in the download name never reaches the neighbour's file", async () => {
    const attempts = [
      `..%2F${aliceUuid}%2Fsecret.jpg`,
      `%2e%2e%2f${aliceUuid}%2fsecret.jpg`,
      `%2E%2E%2F${aliceUuid}%2Fsecret.jpg`,
      `..%252F${aliceUuid}%252Fsecret.jpg`,
      `%252e%252e%252f${aliceUuid}%252fsecret.jpg`,
      `..%5C${aliceUuid}%5Csecret.jpg`,
      `..%2F..%2Fuploads%2F${aliceUuid}%2Fsecret.jpg`,
      `${bobUuid}%2F..%2F${aliceUuid}%2Fsecret.jpg`,
      `..%2F${aliceUuid}`,
      '..%2F..%2Fbackup.db',
      '..%2F..%2Fjwt-secret',
      'secret.jpg',
    ];
    for (const attempt of attempts) {
      const injected = await server.app.inject({ url: `/api/files/${attempt}`, headers: bob.headers });
      expect({ attempt, status: injected.statusCode }).toEqual({ attempt, status: 404 });
      expect(injected.json()).toEqual({ error: 'File not found', code: 'NOT_FOUND' });
      expect(containsSecret(injected.rawPayload)).toBe(false);
      // The same request over a real socket, path bytes exactly as written.
      const real = await httpCall(base, { path: `/api/files/${attempt}`, headers: bob.headers });
      expect({ attempt, status: real.status }).toEqual({ attempt, status: 404 });
      expect(JSON.parse(real.body.toString())).toMatchObject({ error: 'File not found' });
    }
  });

  it('defect 3: an unencoded ../ path is not a download of the neighbour either', async () => {
    for (const path of [`/api/files/../${aliceUuid}/secret.jpg`, `/api/files/..\\${aliceUuid}\\secret.jpg`]) {
      const real = await httpCall(base, { path, headers: bob.headers });
      expect(real.status).toBe(404);
      expect(containsSecret(real.body)).toBe(false);
    }
  });

  it("lists only the caller's own files", async () => {
    const list = await server.app.inject({ url: '/api/files', headers: bob.headers });
    expect(list.json()).toMatchObject({ files: [{ filename: 'mine.jpg', size: 100 }], total: 1 });
    const stats = await server.app.inject({ url: '/api/v2/library/stats', headers: bob.headers });
    expect(stats.json()).toEqual({ count: 1, bytes: 100 });
  });

  it("cannot download, delete or purge the neighbour's files", async () => {
    const download = await server.app.inject({ url: '/api/files/secret.jpg', headers: bob.headers });
    expect(download.statusCode).toBe(404);
    const remove = await server.app.inject({ method: 'DELETE', url: '/api/v2/files/secret.jpg', headers: bob.headers });
    expect(remove.statusCode).toBe(404);
    expect(remove.json()).toMatchObject({ error: 'File not found' });
    const traversalDelete = await server.app.inject({
      method: 'DELETE',
      url: `/api/v2/files/..%2F${aliceUuid}%2Fsecret.jpg`,
      headers: bob.headers,
    });
    expect(traversalDelete.statusCode).toBe(404);
    expect(await readStored(server, aliceUuid, 'secret.jpg')).toEqual(secret);

    const otherBob = await registerUser(server.app, { deviceUuid: alice.deviceUuid });
    const purge = await server.app.inject({ method: 'POST', url: '/api/files/purge', headers: otherBob.headers });
    expect(purge.json()).toEqual({ ok: true, deleted: { files: 0 } });
    expect(await readStored(server, aliceUuid, 'secret.jpg')).toEqual(secret);
    const aliceList = await server.app.inject({ url: '/api/files', headers: alice.headers });
    expect(aliceList.json()).toMatchObject({ files: [{ filename: 'secret.jpg' }], total: 1 });
  });

  it("stores content identical to the neighbour's as a new file, not as a duplicate", async () => {
    const carol = await registerUser(server.app, { deviceUuid: alice.deviceUuid });
    const carolUuid = await accountUuid(server, carol);
    const response = await uploadRaw(server.app, carol, 'copy.jpg', secret);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ message: 'File uploaded', filename: 'copy.jpg' });
    expect(response.json()).not.toHaveProperty('duplicate');
    expect(await readStored(server, carolUuid, 'copy.jpg')).toEqual(secret);
    // Carol purging her copy leaves Alice's original alone.
    const purge = await server.app.inject({ method: 'POST', url: '/api/files/purge', headers: carol.headers });
    expect(purge.json()).toEqual({ ok: true, deleted: { files: 1 } });
    expect(await filesOnDisk(server, carolUuid)).toEqual([]);
    expect(await readStored(server, aliceUuid, 'secret.jpg')).toEqual(secret);
  });
});
