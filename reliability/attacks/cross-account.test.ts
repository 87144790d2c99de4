/**
 * Another account's ids, everywhere: a signed-in attacker puts the victim's library file name, vault chunk and
 * manifest ids, account id (the admin routes), tus upload id and device id into every path parameter of every
 * authenticated route of the route list — one test per kind of id — plus the victim's media ticket into the
 * query and the victim's hashes and ids into the bodies that take them. Nothing of the victim's is revealed,
 * changed or deleted, which the last test checks from the victim's side.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordResult } from '../support/results.ts';
import { TEST_TIMEOUT_MS } from '../support/scale.ts';
import { signUp, startServer, tempDirs, type Account, type ServerProcess } from '../support/server.ts';
import { createUpload, httpCall, patch, putChunk, rawUpload, sealedChunk, tusCall } from '../support/uploads.ts';
import { ANY_PARAMS, AUTH_ROUTES, callRoute, pathFor } from './every-route.ts';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe("another account's ids in every path, query and body", { timeout: TEST_TIMEOUT_MS }, () => {
  const dirs = tempDirs();
  let server: ServerProcess;
  let admin: Account;
  let victim: Account;
  let attacker: Account;
  const photo = randomBytes(50_000);
  const video = randomBytes(20_000);
  const victimIds: Record<string, string> = {};
  let attacks = 0;

  beforeAll(async () => {
    server = await startServer(await dirs.make('cross'));
    admin = await signUp(server.url, 'cross-admin@example.com');
    victim = await signUp(server.url, 'cross-victim@example.com');
    attacker = await signUp(server.url, 'cross-attacker@example.com');
    expect((await rawUpload(server.url, victim, 'victim.jpg', photo)).status).toBe(200);
    const chunk = await sealedChunk(3000);
    expect((await putChunk(server.url, victim, chunk.bytes)).status).toBe(200);
    await victim.client.vault.putManifest({
      manifestId: 'victim-manifest',
      encryptedManifest: 'sealed',
      chunkCount: 1,
    });
    const tusPath = await createUpload(server.url, victim, video, 'victim.mov');
    expect((await patch(server.url, victim, tusPath, 0, video.subarray(0, 8000))).status).toBe(204);
    await admin.client.admin.setQuota(victim.userId, 123_456_789);
    Object.assign(victimIds, {
      filename: 'victim.jpg',
      chunkId: chunk.id,
      manifest: 'victim-manifest',
      account: String(victim.userId),
      tus: tusPath.slice(tusPath.lastIndexOf('/') + 1),
      device: String((await victim.client.account.devices()).devices[0]?.id),
      ticket: (await victim.client.account.mediaTicket()).ticket,
    });
  });
  afterAll(async () => {
    recordResult({ test: "another account's ids", attacks, notes: '7 kinds of id in every parameterised route' });
    await server.kill('SIGTERM');
    await dirs.removeAll();
  });

  /** Every route with path parameter `name`, called by the attacker with the victim's `value` there. */
  async function reached(name: 'filename' | 'chunkId' | 'id', value: string): Promise<string[]> {
    const routes = AUTH_ROUTES.filter((route) => route.path.includes(`{${name}}`));
    expect(routes.length).toBeGreaterThan(0);
    const calls = await Promise.all(
      routes.map((route) => callRoute(server.url, route, attacker.headers, { ...ANY_PARAMS, [name]: value })),
    );
    attacks += calls.length;
    return calls.filter((call) => call.status < 400).map((call) => `${call.route}: ${call.status} ${call.body}`);
  }

  it("the victim's file name in every {filename} route", async () => {
    expect(await reached('filename', victimIds['filename'] ?? '')).toEqual([]);
  });
  it("the victim's chunk id in every {chunkId} route, and in the have-check", async () => {
    expect(await reached('chunkId', victimIds['chunkId'] ?? '')).toEqual([]);
    expect(await attacker.client.vault.haveChunks([victimIds['chunkId'] ?? ''])).toMatchObject({ have: [] });
    attacks += 1;
  });
  it.each(['manifest', 'account', 'tus', 'device'])("the victim's %s id in every {id} route", async (kind) => {
    expect(await reached('id', victimIds[kind] ?? '')).toEqual([]);
  });
  it("the victim's content hash in the have-check, and its manifest id in a write", async () => {
    expect(await attacker.client.haveFiles([sha256(photo)])).toEqual({ have: [], missing: [sha256(photo)] });
    await attacker.client.vault.putManifest({
      manifestId: 'victim-manifest',
      encryptedManifest: 'forged',
      chunkCount: 1,
    });
    attacks += 2;
  });
  it("the victim's media ticket in the query of every file route, next to the attacker's own token", async () => {
    const routes = AUTH_ROUTES.filter((route) => route.method === 'get' && route.path.includes('{filename}'));
    for (const route of routes) {
      const path = `${pathFor(route, { filename: 'victim.jpg' })}?ticket=${encodeURIComponent(victimIds['ticket'] ?? '')}`;
      expect((await httpCall(server.url, { path, headers: attacker.headers })).status, path).toBe(404);
      attacks += 1;
    }
  });

  it("leaves every piece of the victim's data as it was", async () => {
    const back = Buffer.from(await (await victim.client.download('victim.jpg')).arrayBuffer());
    expect(back.equals(photo)).toBe(true);
    expect(sha256(Buffer.from(await victim.client.vault.getChunk(victimIds['chunkId'] ?? '')))).toBe(
      victimIds['chunkId'],
    );
    expect((await victim.client.vault.getManifest('victim-manifest')).encryptedManifest).toBe('sealed');
    const head = await tusCall(server.url, 'HEAD', `/api/v2/tus/${victimIds['tus']}`, victim.headers);
    expect(head.headers['upload-offset']).toBe('8000');
    expect((await victim.client.account.me()).email).toBe('cross-victim@example.com');
    const accounts = await admin.client.admin.accounts();
    expect(accounts.accounts.find((account) => account.id === victim.userId)).toMatchObject({
      quotaBytes: 123_456_789,
    });
  });
});
