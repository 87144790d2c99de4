/**
 * Brute force past the rate limits, against a real server process with its default limits (30 attempts per
 * client address and 10 per email or account per 15 minutes): password guessing on one account, password
 * spraying over many emails, pairing-code guessing, guessing the current password of a stolen session, and
 * guessing the hardware id of the device reset. Past the limit every attempt gets 429 RATE_LIMITED with
 * Retry-After — even a correct guess, so a guesser cannot tell when he has won.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { recordResult } from '../support/results.ts';
import { signUp, startServer, tempDirs, type ServerProcess } from '../support/server.ts';
import { httpCall, jsonOf, type HttpResult } from '../support/uploads.ts';
import { TEST_TIMEOUT_MS } from '../support/scale.ts';

const DEFAULT_LIMITS = { AUTH_RATE_LIMIT_PER_IP: '30', AUTH_RATE_LIMIT_PER_EMAIL: '10' };

function postJson(server: ServerProcess, path: string, body: unknown, headers: Record<string, string> = {}) {
  return httpCall(server.url, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(body)),
  });
}

/** Attempts made by the tests of this file (each refused, or the attacker's guesses before the limit). */
let attempts = 0;

function expectRateLimited(result: HttpResult): void {
  attempts += 1;
  expect(result.status, result.body.toString()).toBe(429);
  expect(jsonOf(result)).toMatchObject({ code: 'RATE_LIMITED' });
  expect(Number(result.headers['retry-after'])).toBeGreaterThan(0);
}

describe('brute force past the rate limits', { timeout: TEST_TIMEOUT_MS }, () => {
  const dirs = tempDirs();
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.kill('SIGTERM');
    server = undefined;
  });
  afterAll(async () => {
    recordResult({
      test: 'brute force past the rate limits',
      attacks: attempts,
      notes: 'password guessing, spraying, pairing codes, a stolen session, device reset: each ends in 429',
    });
    await dirs.removeAll();
  });
  const start = async (): Promise<ServerProcess> => {
    server = await startServer(await dirs.make('brute'), DEFAULT_LIMITS);
    return server;
  };
  /** `count` attempts; returns their statuses. */
  async function attempt(count: number, one: (n: number) => Promise<HttpResult>): Promise<number[]> {
    const statuses: number[] = [];
    for (let n = 0; n < count; n += 1) statuses.push((await one(n)).status);
    attempts += count;
    return statuses;
  }

  it('password guessing on one account: 429 after 10 tries, then even for the right password', async () => {
    const running = await start();
    const account = await signUp(running.url, 'guess-me@example.com');
    const login = (password: string) =>
      postJson(running, '/api/login', { email: account.email, password, device_uuid: 'attacker' });
    expect(await attempt(10, (n) => login(`wrong-${n}-password`))).toEqual(Array(10).fill(401));
    expectRateLimited(await login('wrong-again-password'));
    expectRateLimited(await login(account.password));
  });

  it('password spraying over many emails from one address: 429 after 30 tries', async () => {
    const running = await start();
    const statuses = await attempt(30, (n) =>
      postJson(running, '/api/login', { email: `user${n}@example.com`, password: 'Summer2024!', device_uuid: 'x' }),
    );
    expect(statuses).toEqual(Array(30).fill(401));
    expectRateLimited(
      await postJson(running, '/api/login', { email: 'last@example.com', password: 'Summer2024!', device_uuid: 'x' }),
    );
  });

  it('pairing-code guessing: 429 after 30 tries from one address', async () => {
    const running = await start();
    const pair = (n: number) =>
      postJson(running, '/api/v2/pair', { code: `ABCDE-${String(n).padStart(5, '0')}`, device_uuid: 'phone' });
    expect(new Set(await attempt(30, pair))).toEqual(new Set([401]));
    expectRateLimited(await pair(31));
  });

  it('guessing the current password of a stolen session: 429 after 10 tries', async () => {
    const running = await start();
    const account = await signUp(running.url, 'stolen@example.com');
    const change = (current: string) =>
      postJson(
        running,
        '/api/v2/account/password',
        { currentPassword: current, newPassword: 'taken-over-now' },
        account.headers,
      );
    const statuses = await attempt(10, (n) => change(`guess-${n}-password`));
    expect(statuses).toEqual(Array(10).fill(400)); // WRONG_PASSWORD
    expectRateLimited(await change(account.password));
    expect((await account.client.account.me()).email).toBe(account.email);
  });

  it('guessing the hardware id of the password reset: 429 after 10 tries', async () => {
    const running = await start();
    const account = await signUp(running.url, 'reset-me@example.com');
    const reset = (hardwareId: string) =>
      postJson(running, '/api/reset-password-device', {
        email: account.email,
        hardware_device_id: hardwareId,
        newPassword: 'attacker-password',
      });
    expect(new Set(await attempt(10, (n) => reset(`hw-${n}`)))).toEqual(new Set([403]));
    expectRateLimited(await reset('hw-final'));
  });
});
