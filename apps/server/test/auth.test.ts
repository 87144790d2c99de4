/**
 * PROTOCOL.md §1 authentication headers, forged and revoked tokens (defect 6), and defect 1: a borrowed device
 * UUID gives no access to another account's files.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, claimsOf, decodePayload, encodeSegment, nowSeconds, signToken, storedSecret } from './support/jwt.ts';
import { registerUser, startTestServer, uploadRaw, type Session, type TestServer } from './support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

const files = (headers: Record<string, string>) => server.app.inject({ url: '/api/files', headers });

describe('authentication headers', () => {
  let user: Session;
  beforeAll(async () => {
    user = await registerUser(server.app);
  });

  it('accepts the token with its own device', async () => {
    expect((await files(user.headers)).statusCode).toBe(200);
  });

  it('answers 401 "Access denied" without a token', async () => {
    const response = await files({ 'x-device-uuid': user.deviceUuid });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'Access denied' });
  });

  it('answers 400 "Device UUID required" without X-Device-UUID', async () => {
    const response = await files({ authorization: `Bearer ${user.token}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'Device UUID required' });
  });

  it("answers 403 when X-Device-UUID is not the token's device", async () => {
    const response = await files(bearer(user.token, 'another-device'));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: expect.any(String) as unknown });
  });

  it('answers 403 for a garbage token', async () => {
    expect((await files(bearer('not.a.jwt', user.deviceUuid))).statusCode).toBe(403);
    expect((await files(bearer('garbage', user.deviceUuid))).statusCode).toBe(403);
  });

  it('answers 403 for an unsigned (alg: none) token with valid-looking claims', async () => {
    const claims = await claimsOf(server, user);
    const payload = { ...claims, iat: nowSeconds(), exp: nowSeconds() + 3600 };
    const token = `${encodeSegment({ alg: 'none', typ: 'JWT' })}.${encodeSegment(payload)}.`;
    expect((await files(bearer(token, user.deviceUuid))).statusCode).toBe(403);
  });

  it('answers 403 for a token signed with another key, and 200 for the same claims with the real key', async () => {
    const claims = await claimsOf(server, user);
    const secret = await storedSecret(server.dataDir);
    const forged = await signToken(randomBytes(48), claims, nowSeconds() + 3600);
    expect((await files(bearer(forged, user.deviceUuid))).statusCode).toBe(403);
    const genuine = await signToken(secret, claims, nowSeconds() + 3600);
    expect((await files(bearer(genuine, user.deviceUuid))).statusCode).toBe(200);
  });

  it('answers 403 for an expired token signed with the real secret', async () => {
    const claims = await claimsOf(server, user);
    const expired = await signToken(await storedSecret(server.dataDir), claims, nowSeconds() - 3600);
    expect((await files(bearer(expired, user.deviceUuid))).statusCode).toBe(403);
  });

  it("answers 403 when the payload is changed to another account's identity", async () => {
    const other = await registerUser(server.app);
    const { id, user_uuid, email } = await claimsOf(server, other);
    const [header, , signature] = user.token.split('.');
    const payload = { ...decodePayload(user.token), id, user_uuid, email };
    const tampered = `${header}.${encodeSegment(payload)}.${signature}`;
    expect((await files(bearer(tampered, user.deviceUuid))).statusCode).toBe(403);
  });

  it('answers 403 for the token of a deleted account', async () => {
    const doomed = await registerUser(server.app);
    expect((await files(doomed.headers)).statusCode).toBe(200);
    await server.app.inject({ method: 'DELETE', url: '/api/account', headers: doomed.headers });
    expect((await files(doomed.headers)).statusCode).toBe(403);
  });

  it('answers 403 for a token issued before a password reset', async () => {
    const resetter = await registerUser(server.app, { hardwareId: 'hw-auth-reset' });
    expect((await files(resetter.headers)).statusCode).toBe(200);
    const reset = await server.app.inject({
      method: 'POST',
      url: '/api/reset-password-device',
      payload: { email: resetter.email, hardware_device_id: 'hw-auth-reset', newPassword: 'brand-new-pass' },
    });
    expect(reset.statusCode).toBe(200);
    expect((await files(resetter.headers)).statusCode).toBe(403);
  });
});

describe('defect 1: a borrowed device UUID does not reach another account', () => {
  it("lists, downloads and purges only the caller's own files", async () => {
    const alice = await registerUser(server.app, { deviceUuid: 'shared-phone-uuid' });
    expect((await uploadRaw(server.app, alice, 'alice-1.jpg', 'alice one')).statusCode).toBe(200);
    expect((await uploadRaw(server.app, alice, 'alice-2.jpg', 'alice two')).statusCode).toBe(200);
    const bobAccount = await registerUser(server.app, { password: 'bob-password-1' });
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { email: bobAccount.email, password: 'bob-password-1', device_uuid: alice.deviceUuid },
    });
    expect(login.statusCode).toBe(200);
    const bob = bearer(login.json<{ token: string }>().token, alice.deviceUuid);
    expect((await uploadRaw(server.app, { ...bobAccount, headers: bob }, 'bob.jpg', 'bob photo')).statusCode).toBe(200);

    const bobList = await files(bob);
    expect(bobList.json()).toMatchObject({ total: 1, files: [{ filename: 'bob.jpg' }] });
    for (const name of ['alice-1.jpg', 'alice-2.jpg']) {
      const download = await server.app.inject({ url: `/api/files/${name}`, headers: bob });
      expect(download.statusCode).toBe(404);
      expect(download.json()).toMatchObject({ error: 'File not found' });
    }
    const purge = await server.app.inject({ method: 'POST', url: '/api/files/purge', headers: bob });
    expect(purge.json()).toEqual({ ok: true, deleted: { files: 1 } });

    const aliceList = await files(alice.headers);
    expect(aliceList.json()).toMatchObject({ total: 2 });
    const download = await server.app.inject({ url: '/api/files/alice-1.jpg', headers: alice.headers });
    expect(download.body).toBe('alice one');
    const { uuid } = await server.context.db
      .selectFrom('accounts')
      .select('uuid')
      .where('id', '=', alice.userId)
      .executeTakeFirstOrThrow();
    expect(existsSync(join(server.context.config.uploadDir, uuid, 'alice-2.jpg'))).toBe(true);
  });
});
