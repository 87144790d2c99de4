/** Rate limiting of the auth endpoints per client address and per email, behind a trusted proxy or not. */
import { afterEach, describe, expect, it } from 'vitest';
import { registerUser, startTestServer, type TestServer } from './support/test-server.ts';

const PASSWORD = 'rate-limit-pass-1';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(env: Record<string, string>): Promise<TestServer> {
  server = await startTestServer(env);
  return server;
}

function login(app: TestServer['app'], email: string, from: { remote?: string; forwarded?: string } = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/login',
    remoteAddress: from.remote ?? '127.0.0.1',
    headers: from.forwarded ? { 'x-forwarded-for': from.forwarded } : {},
    payload: { email, password: PASSWORD, device_uuid: 'rate-device' },
  });
}

/** Status codes of `attempt(1)`, `attempt(2)`, ... `attempt(count)`, made one after another. */
async function statuses(count: number, attempt: (n: number) => Promise<{ statusCode: number }>): Promise<number[]> {
  const done: number[] = [];
  for (let n = 1; n <= count; n += 1) done.push((await attempt(n)).statusCode);
  return done;
}

describe('per client address', () => {
  it('answers the 6th login from one address with 429 RATE_LIMITED and Retry-After', async () => {
    const { app } = await start({ AUTH_RATE_LIMIT_PER_IP: '5' });
    const user = await registerUser(app, { password: PASSWORD });
    const a = '203.0.113.7';
    expect(await statuses(5, () => login(app, user.email, { remote: a }))).toEqual([200, 200, 200, 200, 200]);
    const limited = await login(app, user.email, { remote: a });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', error: expect.any(String) as unknown });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect((await login(app, user.email, { remote: '203.0.113.8' })).statusCode).toBe(200);
  });

  it('counts failed attempts too', async () => {
    const { app } = await start({ AUTH_RATE_LIMIT_PER_IP: '3' });
    const wrong = () =>
      app.inject({
        method: 'POST',
        url: '/api/login',
        payload: { email: 'nobody@example.com', password: 'guess-guess', device_uuid: 'd' },
      });
    expect(await statuses(4, wrong)).toEqual([401, 401, 401, 429]);
  });

  it('ignores X-Forwarded-For when TRUST_PROXY is unset', async () => {
    const { app } = await start({ AUTH_RATE_LIMIT_PER_IP: '5' });
    const user = await registerUser(app, { password: PASSWORD });
    const rotating = await statuses(6, (n) => login(app, user.email, { forwarded: `198.51.100.${n}` }));
    expect(rotating).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('honours X-Forwarded-For with TRUST_PROXY=true: each forwarded address has its own budget', async () => {
    const { app } = await start({ AUTH_RATE_LIMIT_PER_IP: '5', AUTH_RATE_LIMIT_PER_EMAIL: '100', TRUST_PROXY: 'true' });
    const user = await registerUser(app, { password: PASSWORD });
    const spread = await statuses(8, (n) => login(app, user.email, { forwarded: `198.51.100.${n}` }));
    expect(spread).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
    const one = await statuses(5, () => login(app, user.email, { forwarded: '198.51.100.1' }));
    expect(one).toEqual([200, 200, 200, 200, 429]);
    expect((await login(app, user.email, { forwarded: '198.51.100.9' })).statusCode).toBe(200);
  });
});

describe('behind a proxy chain', () => {
  it('TRUST_PROXY=1 takes the address the proxy saw, so a spoofed left-most entry does not evade', async () => {
    const { app } = await start({ AUTH_RATE_LIMIT_PER_IP: '3', TRUST_PROXY: '1' });
    const user = await registerUser(app, { password: PASSWORD });
    const spoofed = await statuses(4, (n) => login(app, user.email, { forwarded: `6.6.6.${n}, 10.0.0.5` }));
    expect(spoofed).toEqual([200, 200, 200, 429]);
    expect((await login(app, user.email, { forwarded: '10.0.0.6' })).statusCode).toBe(200);
  });

  it('TRUST_PROXY=<list> honours X-Forwarded-For only from the listed proxies', async () => {
    const { app } = await start({ AUTH_RATE_LIMIT_PER_IP: '2', TRUST_PROXY: '127.0.0.1, 10.1.0.0/16' });
    const user = await registerUser(app, { password: PASSWORD });
    const viaProxy = await statuses(3, (n) => login(app, user.email, { forwarded: `198.51.100.${n}` }));
    expect(viaProxy).toEqual([200, 200, 200]);
    const untrusted = await statuses(3, (n) =>
      login(app, user.email, { remote: '203.0.113.1', forwarded: `198.51.100.${n + 10}` }),
    );
    expect(untrusted).toEqual([200, 200, 429]);
  });
});

describe('per email', () => {
  it('limits one email after 3 attempts from different addresses; another email still works', async () => {
    const { app } = await start({ AUTH_RATE_LIMIT_PER_EMAIL: '3', TRUST_PROXY: 'true' });
    const target = await registerUser(app, { password: PASSWORD });
    const other = await registerUser(app, { password: PASSWORD });
    const attempts = await statuses(4, (n) => login(app, target.email, { forwarded: `192.0.2.${n}` }));
    expect(attempts).toEqual([200, 200, 200, 429]);
    const limited = await login(app, target.email.toUpperCase(), { forwarded: '192.0.2.50' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect((await login(app, other.email, { forwarded: '192.0.2.4' })).statusCode).toBe(200);
  });

  it('limits password resets per email as well', async () => {
    const { app } = await start({ AUTH_RATE_LIMIT_PER_EMAIL: '2', TRUST_PROXY: 'true' });
    const user = await registerUser(app, { password: PASSWORD, hardwareId: 'hw-rate' });
    const reset = (n: number) =>
      app.inject({
        method: 'POST',
        url: '/api/reset-password-device',
        headers: { 'x-forwarded-for': `192.0.2.${n}` },
        payload: { email: user.email, hardware_device_id: 'hw-guess', newPassword: 'new-pass-123' },
      });
    expect(await statuses(3, reset)).toEqual([403, 403, 429]);
  });
});
