/** PROTOCOL.md §2: register and login, with exact field names, status codes and error bodies. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, decodePayload } from './support/jwt.ts';
import { registerUser, startTestServer, type TestServer } from './support/test-server.ts';

describe('POST /api/register', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  const register = (payload: Record<string, unknown>) =>
    server.app.inject({ method: 'POST', url: '/api/register', payload });
  const files = (headers: Record<string, string>) => server.app.inject({ url: '/api/files', headers });

  it('answers 201 {message, token, userId} with a token bound to the given device', async () => {
    const response = await register({ email: 'alice@example.com', password: 'alice-pass-1', device_uuid: 'dev-alice' });
    expect(response.statusCode).toBe(201);
    const body = response.json<{ message: string; token: string; userId: number }>();
    expect(Object.keys(body).sort()).toEqual(['message', 'token', 'userId']);
    expect(body.message).toEqual(expect.any(String));
    expect(Number.isInteger(body.userId)).toBe(true);
    expect(decodePayload(body.token)).toMatchObject({
      id: body.userId,
      email: 'alice@example.com',
      device_uuid: 'dev-alice',
    });
    expect((await files(bearer(body.token, 'dev-alice'))).statusCode).toBe(200);
  });

  it('trims and lower-cases the email; login with another case works; the same address conflicts', async () => {
    const response = await register({ email: '  Dave@Example.COM ', password: 'dave-pass-1', device_uuid: 'dev-dave' });
    expect(response.statusCode).toBe(201);
    const { userId } = response.json<{ userId: number }>();
    const row = await server.context.db
      .selectFrom('accounts')
      .select('email')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    expect(row.email).toBe('dave@example.com');
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { email: 'DAVE@example.com', password: 'dave-pass-1', device_uuid: 'dev-dave' },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json<{ userId: number }>().userId).toBe(userId);
    const again = await register({ email: 'dave@EXAMPLE.com', password: 'other-pass-1' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'Email already exists' });
  });

  it('accepts the deviceUuid alias', async () => {
    const response = await register({ email: 'erin@example.com', password: 'erin-pass-1', deviceUuid: 'dev-erin' });
    expect(response.statusCode).toBe(201);
    const { token } = response.json<{ token: string }>();
    expect(decodePayload(token)['device_uuid']).toBe('dev-erin');
    expect((await files(bearer(token, 'dev-erin'))).statusCode).toBe(200);
  });

  it('binds the token to UUIDv5("email:password") when no device is given', async () => {
    const legacy = 'efc54bd8-402a-5d20-a27c-c13700c2c6e3';
    const response = await register({ email: 'carol@example.com', password: 'carol-pass-123' });
    expect(response.statusCode).toBe(201);
    const { token } = response.json<{ token: string }>();
    expect(decodePayload(token)['device_uuid']).toBe(legacy);
    expect((await files(bearer(token, legacy))).statusCode).toBe(200);
    expect((await files(bearer(token, 'some-other-device'))).statusCode).toBe(403);
  });

  it.each([
    ['an empty body', {}],
    ['no email', { password: 'long-enough-1' }],
    ['no password', { email: 'nopass@example.com' }],
    ['an invalid email', { email: 'not-an-email', password: 'long-enough-1' }],
    ['a non-string password', { email: 'num@example.com', password: 12345678 }],
    ['an invalid device uuid', { email: 'dev@example.com', password: 'long-enough-1', device_uuid: '../etc' }],
  ])('answers 400 {error, code} for %s', async (_label, payload) => {
    const response = await register(payload);
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: unknown; code: unknown }>();
    expect(body.error).toEqual(expect.any(String));
    expect(body.code).toEqual(expect.any(String));
  });

  it('refuses passwords shorter than 8 characters with WEAK_PASSWORD and creates no account', async () => {
    const response = await register({ email: 'weak@example.com', password: 'seven77' });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: string; code: string }>();
    expect(body.code).toBe('WEAK_PASSWORD');
    expect(body.error).toMatch(/at least 8 characters/);
    const row = await server.context.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', 'weak@example.com')
      .executeTakeFirst();
    expect(row).toBeUndefined();
    expect((await register({ email: 'weak@example.com', password: 'eight888' })).statusCode).toBe(201);
  });
});

describe('POST /api/login', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  const login = (payload: Record<string, unknown>) => server.app.inject({ method: 'POST', url: '/api/login', payload });

  it('answers 200 {token, userId} and records the device with its name', async () => {
    const user = await registerUser(server.app, { password: 'frank-pass-1' });
    const response = await login({
      email: user.email,
      password: 'frank-pass-1',
      device_uuid: 'pixel',
      device_name: 'Pixel 8',
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ token: string; userId: number }>();
    expect(Object.keys(body).sort()).toEqual(['token', 'userId']);
    expect(body.userId).toBe(user.userId);
    expect(decodePayload(body.token)['device_uuid']).toBe('pixel');
    const device = await server.context.db
      .selectFrom('devices')
      .selectAll()
      .where('account_id', '=', user.userId)
      .where('device_uuid', '=', 'pixel')
      .executeTakeFirst();
    expect(device?.name).toBe('Pixel 8');
    const list = await server.app.inject({ url: '/api/files', headers: bearer(body.token, 'pixel') });
    expect(list.statusCode).toBe(200);
  });

  it.each([
    ['no device', { email: 'x@example.com', password: 'long-enough-1' }],
    ['no password', { email: 'x@example.com', device_uuid: 'd' }],
    ['no email', { password: 'long-enough-1', device_uuid: 'd' }],
    ['an empty body', {}],
  ])('answers 400 "Missing credentials or device ID" for %s', async (_label, payload) => {
    const response = await login(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'Missing credentials or device ID' });
  });

  it('answers 401 "Invalid credentials" for a wrong password and for an unknown email', async () => {
    const user = await registerUser(server.app, { password: 'grace-pass-1' });
    const wrong = await login({ email: user.email, password: 'grace-pass-2', device_uuid: 'd1' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: 'Invalid credentials' });
    const unknown = await login({ email: 'nobody@example.com', password: 'grace-pass-1', device_uuid: 'd1' });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ error: 'Invalid credentials' });
    expect((await login({ email: user.email, password: 'grace-pass-1', device_uuid: 'd1' })).statusCode).toBe(200);
  });
});
