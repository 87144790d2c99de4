/**
 * Another account's ids, everywhere: a signed-in attacker puts the victim's file name, chunk id, manifest id,
 * tus upload id, device id and account id into every path parameter of every authenticated route (from the
 * route list), the victim's media ticket into the query, and the victim's hashes and ids into the bodies that
 * take them. Nothing of the victim's is revealed, changed or deleted — checked afterwards from the victim's side.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { recordResult } from '../support/results.ts';
import { signUp, startServer, tempDirs } from '../support/server.ts';
import { createUpload, httpCall, patch, putChunk, rawUpload, sealedChunk, tusCall } from '../support/uploads.ts';
import { AUTH_ROUTES, callRoute, pathFor, type RouteCall } from './every-route.ts';
import { TEST_TIMEOUT_MS } from '../support/scale.ts';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe("another account's ids in every path, query and body", { timeout: TEST_TIMEOUT_MS }, () => {
  const dirs = tempDirs();
  afterAll(() => dirs.removeAll());

  it('reach nothing of the victim', async () => {
    const server = await startServer(await dirs.make('cross'));
    const admin = await signUp(server.url, 'cross-admin@example.com');
    const victim = await signUp(server.url, 'cross-victim@example.com');
    const attacker = await signUp(server.url, 'cross-attacker@example.com');

    const photo = randomBytes(50_000);
    expect((await rawUpload(server.url, victim, 'victim.jpg', photo)).status).toBe(200);
    const chunk = await sealedChunk(3000);
    expect((await putChunk(server.url, victim, chunk.bytes)).status).toBe(200);
    await victim.client.vault.putManifest({
      manifestId: 'victim-manifest',
      encryptedManifest: 'sealed',
      chunkCount: 1,
    });
    const video = randomBytes(20_000);
    const tusPath = await createUpload(server.url, victim, video, 'victim.mov');
    expect((await patch(server.url, victim, tusPath, 0, video.subarray(0, 8000))).status).toBe(204);
    const device = (await victim.client.account.devices()).devices[0];
    await admin.client.admin.setQuota(victim.userId, 123_456_789);
    const ticket = (await victim.client.account.mediaTicket()).ticket;

    const ids = [
      tusPath.slice(tusPath.lastIndexOf('/') + 1),
      'victim-manifest',
      String(device?.id),
      String(victim.userId),
    ];
    const reached: RouteCall[] = [];
    let attacks = 0;
    for (const route of AUTH_ROUTES.filter((r) => r.params)) {
      for (const id of ids) {
        const params = { filename: 'victim.jpg', chunkId: chunk.id, id };
        const call = await callRoute(server.url, route, attacker.headers, params);
        attacks += 1;
        if (call.status < 400) reached.push(call);
        if (!route.path.includes('{id}')) break; // one try is enough where the id plays no part
      }
    }
    for (const route of AUTH_ROUTES.filter((r) => r.method === 'get' && r.path.includes('{filename}'))) {
      const path = `${pathFor(route, { filename: 'victim.jpg' })}?ticket=${encodeURIComponent(ticket)}`;
      const call = await httpCall(server.url, { path, headers: attacker.headers });
      attacks += 1;
      if (call.status < 400) reached.push({ route: path, status: call.status, body: call.body.toString() });
    }
    expect(reached).toEqual([]);

    const have = await attacker.client.haveFiles([sha256(photo)]);
    const chunksHave = await attacker.client.vault.haveChunks([chunk.id]);
    await attacker.client.vault.putManifest({
      manifestId: 'victim-manifest',
      encryptedManifest: 'forged',
      chunkCount: 1,
    });
    attacks += 3;
    expect(have).toEqual({ have: [], missing: [sha256(photo)] });
    expect(chunksHave).toEqual({ have: [], missing: [chunk.id] });

    // The victim's side: everything exactly as before.
    const back = Buffer.from(await (await victim.client.download('victim.jpg')).arrayBuffer());
    expect(back.equals(photo)).toBe(true);
    expect(sha256(Buffer.from(await victim.client.vault.getChunk(chunk.id)))).toBe(chunk.id);
    expect((await victim.client.vault.getManifest('victim-manifest')).encryptedManifest).toBe('sealed');
    const head = await tusCall(server.url, 'HEAD', tusPath, victim.headers);
    expect(head.headers['upload-offset']).toBe('8000');
    expect((await victim.client.account.me()).email).toBe('cross-victim@example.com');
    const accounts = await admin.client.admin.accounts();
    expect(accounts.accounts.find((account) => account.id === victim.userId)).toMatchObject({
      quotaBytes: 123_456_789,
    });
    recordResult({
      test: "another account's ids",
      attacks,
      notes: `victim's file, chunk, manifest, tus upload, device and account ids in ${AUTH_ROUTES.filter((r) => r.params).length} parameterised routes, a media ticket and id-bearing bodies`,
    });
    expect(await server.kill('SIGTERM')).toBe(0);
  });
});
