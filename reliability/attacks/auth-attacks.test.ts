/**
 * Forged and revoked credentials against a real server process, each refused on EVERY authenticated route of
 * the route list (./every-route.ts) — not only on the one route the in-process tests use
 * (apps/server/test/auth.test.ts, whose JWT helpers these reuse). Each attack has a positive control on a
 * harmless route, so a test that could not tell "refused" from "broken" would fail.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  decodePayload,
  encodeSegment,
  nowSeconds,
  signToken,
  storedSecret,
  type Claims,
} from '../../apps/server/test/support/jwt.ts';
import { recordResult } from '../support/results.ts';
import { signUp, startServer, tempDirs, type Account, type ServerProcess } from '../support/server.ts';
import { httpCall } from '../support/uploads.ts';
import { acceptedAnywhere, AUTH_ROUTES } from './every-route.ts';
import { TEST_TIMEOUT_MS } from '../support/scale.ts';

describe('auth attacks on every authenticated route', { timeout: TEST_TIMEOUT_MS }, () => {
  const dirs = tempDirs();
  let server: ServerProcess;
  let dataDir: string;
  let victim: Account;
  let attacks = 0;
  let counter = 0;
  beforeAll(async () => {
    dataDir = await dirs.make('auth');
    server = await startServer(dataDir);
    await signUp(server.url, 'auth-admin@example.com');
    victim = await signUp(server.url, 'auth-victim@example.com');
  });
  afterAll(async () => {
    recordResult({
      test: 'auth attacks (every route)',
      attacks,
      notes: `7 attacks (8 forged or revoked credentials) × ${AUTH_ROUTES.length} authenticated routes, all refused`,
    });
    await server.kill('SIGTERM');
    await dirs.removeAll();
  });

  const fresh = (): Promise<Account> => signUp(server.url, `auth-${(counter += 1)}@example.com`);
  const claimsOf = (account: Account): Claims => decodePayload(account.token) as unknown as Claims;
  /** The positive control: the status of a harmless authenticated call. */
  const works = async (headers: Record<string, string>): Promise<number> =>
    (await httpCall(server.url, { path: '/api/v2/account', headers })).status;
  async function refusedEverywhere(headers: Record<string, string>): Promise<void> {
    const accepted = await acceptedAnywhere(server.url, headers);
    attacks += AUTH_ROUTES.length;
    expect(accepted).toEqual([]);
  }

  it('refuses an unsigned token (alg: none) with valid claims', async () => {
    const payload = { ...claimsOf(victim), iat: nowSeconds(), exp: nowSeconds() + 3600 };
    const token = `${encodeSegment({ alg: 'none', typ: 'JWT' })}.${encodeSegment(payload)}.`;
    await refusedEverywhere(bearer(token, victim.deviceUuid));
    expect(await works(victim.headers)).toBe(200);
  });

  it('refuses a token signed with another key, and accepts the same claims with the real key', async () => {
    const forged = await signToken(randomBytes(48), claimsOf(victim), nowSeconds() + 3600);
    await refusedEverywhere(bearer(forged, victim.deviceUuid));
    const genuine = await signToken(await storedSecret(dataDir), claimsOf(victim), nowSeconds() + 3600);
    expect(await works(bearer(genuine, victim.deviceUuid))).toBe(200);
  });

  it('refuses an expired token signed with the real secret', async () => {
    const expired = await signToken(await storedSecret(dataDir), claimsOf(victim), nowSeconds() - 60);
    await refusedEverywhere(bearer(expired, victim.deviceUuid));
  });

  it("refuses a token whose payload was changed to another account's identity", async () => {
    const attacker = await fresh();
    const [header, , signature] = attacker.token.split('.');
    const { id, user_uuid, email } = claimsOf(victim);
    const tampered = `${header}.${encodeSegment({ ...decodePayload(attacker.token), id, user_uuid, email })}.${signature}`;
    await refusedEverywhere(bearer(tampered, attacker.deviceUuid));
    expect(await works(attacker.headers)).toBe(200);
  });

  it('refuses the token of a deleted account', async () => {
    const doomed = await fresh();
    expect(await works(doomed.headers)).toBe(200);
    await doomed.client.deleteAccount();
    await refusedEverywhere(doomed.headers);
  });

  it('refuses a token issued before a password change, and accepts the new one', async () => {
    const account = await fresh();
    const changed = await account.client.account.changePassword(account.password, 'a-brand-new-password');
    await refusedEverywhere(account.headers);
    expect(await works(bearer(changed.token, account.deviceUuid))).toBe(200);
  });

  it("refuses a valid token presented with another device's X-Device-UUID, or without one", async () => {
    await refusedEverywhere(bearer(victim.token, 'another-device'));
    const missing = await acceptedAnywhere(server.url, { authorization: `Bearer ${victim.token}` });
    attacks += AUTH_ROUTES.length;
    expect(missing.filter((call) => call.status !== 400)).toEqual([]);
  });
});
