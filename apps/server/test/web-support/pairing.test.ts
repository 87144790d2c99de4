/**
 * Phone pairing: POST /api/v2/pair/codes (signed in) makes a one-time code; POST /api/v2/pair exchanges it,
 * once, for a session of that account bound to the phone's device uuid. Expired, used and unknown codes are
 * refused with JSON; codes are stored hashed; redemption is rate limited like sign-in.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import { filesStatus, headersOf } from './sessions.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ AUTH_RATE_LIMIT_PER_IP: '1000' });
});
afterAll(async () => server.close());

interface PairingCode {
  code: string;
  expiresAt: string;
  serverUrls: string[];
}

async function createCode(session: Session, host = 'photos.example.com:3000'): Promise<PairingCode> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v2/pair/codes',
    headers: { ...session.headers, host },
  });
  expect(response.statusCode).toBe(201);
  return response.json<PairingCode>();
}

const pair = (code: string, deviceUuid: string, deviceName?: string) =>
  server.app.inject({
    method: 'POST',
    url: '/api/v2/pair',
    payload: { code, device_uuid: deviceUuid, device_name: deviceName },
  });

describe('pairing a phone', () => {
  let owner: Session;
  beforeAll(async () => {
    owner = await registerUser(server.app);
  });

  it('makes a short-lived code and names the addresses a phone can use', async () => {
    const before = Date.now();
    const created = await createCode(owner);
    expect(created.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const lifetime = Date.parse(created.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(4 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(5 * 60_000 + 1000);
    expect(created.serverUrls[0]).toBe('http://photos.example.com:3000');
  });

  it('puts a loopback origin after the LAN addresses', async () => {
    const created = await createCode(owner, '127.0.0.1:3000');
    expect(created.serverUrls.at(-1)).toBe('http://127.0.0.1:3000');
  });

  it('stores only a hash of the code', async () => {
    const { code } = await createCode(owner);
    const rows = await server.context.db.selectFrom('pairing_codes').selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(code);
    expect(dump).not.toContain(code.replace('-', ''));
    const hash = createHash('sha256').update(code.replace('-', '')).digest('hex');
    expect(rows.map((row) => row.code_hash)).toContain(hash);
  });

  it('signs the phone in to the same account exactly once', async () => {
    const { code } = await createCode(owner);
    const first = await pair(code, 'phone-pair-1', 'iPhone');
    expect(first.statusCode).toBe(200);
    const session = first.json<{ token: string; userId: number; email: string }>();
    expect(session).toMatchObject({ userId: owner.userId, email: owner.email });
    expect(await filesStatus(server.app, headersOf(session.token, 'phone-pair-1'))).toBe(200);
    expect(await filesStatus(server.app, headersOf(session.token, 'another-device'))).toBe(403);

    const second = await pair(code, 'phone-pair-2');
    expect(second.statusCode).toBe(401);
    expect(second.json()).toMatchObject({ code: 'PAIRING_CODE_USED' });
  });

  it('accepts the code in lower case and without its dash', async () => {
    const { code } = await createCode(owner);
    expect((await pair(code.replace('-', '').toLowerCase(), 'phone-pair-3')).statusCode).toBe(200);
  });

  it('lets exactly one of two phones racing with the same code in', async () => {
    const { code } = await createCode(owner);
    const results = await Promise.all([pair(code, 'racer-1'), pair(code, 'racer-2'), pair(code, 'racer-3')]);
    expect(results.map((result) => result.statusCode).sort()).toEqual([200, 401, 401]);
  });

  it('refuses an expired code', async () => {
    const { code } = await createCode(owner);
    await server.context.db
      .updateTable('pairing_codes')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('used_at', 'is', null)
      .execute();
    const response = await pair(code, 'phone-late');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'PAIRING_CODE_EXPIRED' });
  });

  it('refuses an unknown code and a malformed request with JSON errors', async () => {
    const unknown = await pair('AAAAA-BBBBB', 'phone-x');
    expect(unknown.statusCode).toBe(401);
    const body = unknown.json<{ code: string; error: string }>();
    expect(body.code).toBe('INVALID_PAIRING_CODE');
    expect(body.error).toBe('This pairing code is not valid');
    const malformed = await server.app.inject({ method: 'POST', url: '/api/v2/pair', payload: { code: 'x' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('needs a signed-in session to make a code', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/v2/pair/codes' });
    expect(response.statusCode).toBe(401);
  });
});

describe('pairing rate limit', () => {
  it('limits attempts per client address like sign-in', async () => {
    const limited = await startTestServer({ AUTH_RATE_LIMIT_PER_IP: '3' });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const response = await limited.app.inject({
          method: 'POST',
          url: '/api/v2/pair',
          payload: { code: `WRONG-${attempt}0000`, device_uuid: 'guesser' },
        });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});
