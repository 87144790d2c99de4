/** PROTOCOL.md §2 reset-password-device and DELETE /api/account; defect 6 (tokens revoked by both). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, startTestServer, uploadRaw, type Session, type TestServer } from './support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

const login = (email: string, password: string, device = 'dev-login') =>
  server.app.inject({ method: 'POST', url: '/api/login', payload: { email, password, device_uuid: device } });
const reset = (payload: Record<string, unknown>) =>
  server.app.inject({ method: 'POST', url: '/api/reset-password-device', payload });
const files = (session: Session) => server.app.inject({ url: '/api/files', headers: session.headers });

describe('POST /api/reset-password-device', () => {
  it('resets from the registered device, revokes old tokens, and swaps which password works', async () => {
    const user = await registerUser(server.app, { password: 'old-password-1', hardwareId: 'hw-reset-1' });
    expect((await files(user)).statusCode).toBe(200);
    const response = await reset({
      email: user.email,
      hardware_device_id: 'hw-reset-1',
      newPassword: 'new-password-1',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ message: unknown }>().message).toEqual(expect.any(String));
    expect((await files(user)).statusCode).toBe(403);
    expect((await login(user.email, 'old-password-1')).statusCode).toBe(401);
    const fresh = await login(user.email, 'new-password-1');
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json<{ userId: number }>().userId).toBe(user.userId);
  });

  it('answers 403 hint "no_hardware_id_stored" when the account registered no hardware id', async () => {
    const user = await registerUser(server.app, { password: 'keep-this-1' });
    const response = await reset({ email: user.email, hardware_device_id: 'hw-any', newPassword: 'new-password-1' });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ hint: 'no_hardware_id_stored', error: expect.any(String) as unknown });
    expect((await login(user.email, 'keep-this-1')).statusCode).toBe(200);
  });

  it('answers 403 hint "device_mismatch" for another hardware id, and for an unknown email', async () => {
    const user = await registerUser(server.app, { password: 'keep-this-2', hardwareId: 'hw-right' });
    const wrong = await reset({ email: user.email, hardware_device_id: 'hw-wrong', newPassword: 'new-password-1' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ hint: 'device_mismatch' });
    const unknown = await reset({
      email: 'ghost@example.com',
      hardware_device_id: 'hw-right',
      newPassword: 'x-long-pw',
    });
    expect(unknown.statusCode).toBe(403);
    expect(unknown.json()).toMatchObject({ hint: 'device_mismatch' });
    expect((await login(user.email, 'keep-this-2')).statusCode).toBe(200);
    expect((await files(user)).statusCode).toBe(200);
  });

  it('refuses a new password shorter than 8 characters with WEAK_PASSWORD', async () => {
    const user = await registerUser(server.app, { password: 'keep-this-3', hardwareId: 'hw-weak' });
    const response = await reset({ email: user.email, hardware_device_id: 'hw-weak', newPassword: 'short' });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ code: string; error: string }>();
    expect(body.code).toBe('WEAK_PASSWORD');
    expect(body.error).toMatch(/at least 8 characters/);
    expect((await login(user.email, 'keep-this-3')).statusCode).toBe(200);
    expect((await files(user)).statusCode).toBe(200);
  });

  it('answers 400 {error, code} when a field is missing', async () => {
    const response = await reset({ email: 'someone@example.com', newPassword: 'long-enough-1' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: expect.any(String) as unknown,
      code: expect.any(String) as unknown,
    });
  });
});

describe('DELETE /api/account', () => {
  it('removes every file, row and token of the account and nothing of another account', async () => {
    const doomed = await registerUser(server.app, { password: 'doomed-pass-1' });
    const keeper = await registerUser(server.app);
    expect((await uploadRaw(server.app, doomed, 'a.jpg', 'doomed photo')).statusCode).toBe(200);
    expect((await uploadRaw(server.app, doomed, 'b.jpg', 'doomed photo 2')).statusCode).toBe(200);
    expect((await uploadRaw(server.app, keeper, 'a.jpg', 'keeper photo')).statusCode).toBe(200);
    const uuidOf = async (id: number) =>
      (await server.context.db.selectFrom('accounts').select('uuid').where('id', '=', id).executeTakeFirstOrThrow())
        .uuid;
    const doomedDir = join(server.context.config.uploadDir, await uuidOf(doomed.userId));
    const keeperDir = join(server.context.config.uploadDir, await uuidOf(keeper.userId));
    expect(existsSync(join(doomedDir, 'a.jpg'))).toBe(true);

    const response = await server.app.inject({ method: 'DELETE', url: '/api/account', headers: doomed.headers });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ success: unknown; message: unknown }>();
    expect(body.success).toBe(true);
    expect(body.message).toEqual(expect.any(String));

    expect((await files(doomed)).statusCode).toBe(403);
    expect((await login(doomed.email, 'doomed-pass-1')).statusCode).toBe(401);
    expect(existsSync(doomedDir)).toBe(false);
    const { db } = server.context;
    const id = doomed.userId;
    expect(await db.selectFrom('accounts').select('id').where('id', '=', id).execute()).toEqual([]);
    expect(await db.selectFrom('devices').select('id').where('account_id', '=', id).execute()).toEqual([]);
    expect(await db.selectFrom('assets').select('id').where('account_id', '=', id).execute()).toEqual([]);

    expect(existsSync(join(keeperDir, 'a.jpg'))).toBe(true);
    const list = await files(keeper);
    expect(list.json()).toMatchObject({ total: 1, files: [{ filename: 'a.jpg' }] });
    const download = await server.app.inject({ url: '/api/files/a.jpg', headers: keeper.headers });
    expect(download.body).toBe('keeper photo');
  });

  it('lets the address register again, and the old token stays refused', async () => {
    const first = await registerUser(server.app, { email: 'again@example.com' });
    const deleted = await server.app.inject({ method: 'DELETE', url: '/api/account', headers: first.headers });
    expect(deleted.statusCode).toBe(200);
    const second = await registerUser(server.app, { email: 'again@example.com', deviceUuid: first.deviceUuid });
    expect(second.userId).not.toBe(first.userId);
    expect((await files(second)).statusCode).toBe(200);
    expect((await files(first)).statusCode).toBe(403);
  });

  it('requires authentication', async () => {
    const response = await server.app.inject({ method: 'DELETE', url: '/api/account' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'Access denied' });
  });
});
