/** The first account is the administrator; PHOTOSYNC_REGISTRATION=closed admits only that first account. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerUser, startTestServer, type TestServer } from './support/test-server.ts';

async function isAdmin(server: TestServer, id: number): Promise<number> {
  const row = await server.context.db
    .selectFrom('accounts')
    .select('is_admin')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.is_admin;
}

describe('open registration', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => server.close());

  it('makes the first account the administrator and the second an ordinary account', async () => {
    const first = await registerUser(server.app);
    const second = await registerUser(server.app);
    const third = await registerUser(server.app);
    expect(await isAdmin(server, first.userId)).toBe(1);
    expect(await isAdmin(server, second.userId)).toBe(0);
    expect(await isAdmin(server, third.userId)).toBe(0);
  });

  it('still makes only one administrator when the first registrations race', async () => {
    const sessions = await Promise.all([1, 2, 3, 4].map(() => registerUser(server.app)));
    const flags = await Promise.all(sessions.map((session) => isAdmin(server, session.userId)));
    expect(flags.filter((flag) => flag === 1)).toHaveLength(1);
  });
});

describe('closed registration', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ PHOTOSYNC_REGISTRATION: 'closed' });
  });
  afterEach(async () => server.close());

  it('allows the first account and refuses later ones with 403 REGISTRATION_CLOSED', async () => {
    const admin = await registerUser(server.app, { email: 'admin@example.com' });
    expect(await isAdmin(server, admin.userId)).toBe(1);
    const refused = await server.app.inject({
      method: 'POST',
      url: '/api/register',
      payload: { email: 'late@example.com', password: 'late-pass-1', device_uuid: 'dev-late' },
    });
    expect(refused.statusCode).toBe(403);
    const body = refused.json<{ error: string; code: string }>();
    expect(body.code).toBe('REGISTRATION_CLOSED');
    expect(body.error).toEqual(expect.any(String));
    const rows = await server.context.db.selectFrom('accounts').select('email').execute();
    expect(rows.map((row) => row.email)).toEqual(['admin@example.com']);
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { email: 'admin@example.com', password: 'correct-horse-1', device_uuid: 'dev-2' },
    });
    expect(login.statusCode).toBe(200);
  });
});
