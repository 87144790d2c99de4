/**
 * POST /api/v2/account/password: the current password is checked, the new one must be long enough, every
 * other session is signed out, and the calling device carries on with the fresh token it is given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import { filesStatus, headersOf, PASSWORD, signInAnotherDevice } from './sessions.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ AUTH_RATE_LIMIT_PER_EMAIL: '4' });
});
afterAll(async () => server.close());

const change = (headers: Record<string, string>, currentPassword: string, newPassword: string) =>
  server.app.inject({
    method: 'POST',
    url: '/api/v2/account/password',
    headers,
    payload: { currentPassword, newPassword },
  });

describe('changing the password', () => {
  let browser: Session;
  let phone: Session;
  beforeAll(async () => {
    browser = await registerUser(server.app, { deviceUuid: 'browser-1' });
    phone = await signInAnotherDevice(server.app, browser, 'phone-1');
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const response = await change(browser.headers, 'not-the-password', 'a-new-password-1');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'WRONG_PASSWORD', error: 'The current password is not correct' });
    expect(await filesStatus(server.app, phone.headers)).toBe(200);
  });

  it('refuses a new password shorter than 8 characters', async () => {
    const response = await change(browser.headers, PASSWORD, 'short');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'WEAK_PASSWORD' });
  });

  it('signs out every other session and gives this device a fresh token', async () => {
    const response = await change(browser.headers, PASSWORD, 'a-new-password-1');
    expect(response.statusCode).toBe(200);
    const { token, userId } = response.json<{ token: string; userId: number }>();
    expect(userId).toBe(browser.userId);
    expect(await filesStatus(server.app, phone.headers)).toBe(403);
    expect(await filesStatus(server.app, browser.headers)).toBe(403);
    expect(await filesStatus(server.app, headersOf(token, browser.deviceUuid))).toBe(200);
  });

  it('makes the new password the one that signs in', async () => {
    await expect(signInAnotherDevice(server.app, browser, 'phone-2', PASSWORD)).rejects.toThrow(/401/);
    const again = await signInAnotherDevice(server.app, browser, 'phone-2', 'a-new-password-1');
    expect(await filesStatus(server.app, again.headers)).toBe(200);
  });
});

describe('password change limits', () => {
  it('needs a signed-in device', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v2/account/password',
      payload: { currentPassword: PASSWORD, newPassword: 'whatever-123' },
    });
    expect(response.statusCode).toBe(401);
  });

  it('rate limits guesses of the current password per account', async () => {
    const user = await registerUser(server.app);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      statuses.push((await change(user.headers, `guess-${attempt}-xyz`, 'a-new-password-1')).statusCode);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    const limited = await change(user.headers, PASSWORD, 'a-new-password-1');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
  });
});
