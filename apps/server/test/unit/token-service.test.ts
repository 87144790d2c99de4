import { describe, expect, it } from 'vitest';
import { TokenService } from '../../src/services/accounts/token-service.ts';

const claims = {
  id: 7,
  user_uuid: '3f1c2b7e-9a4d-4c1e-8f00-5b6a7c8d9e0f',
  email: 'anna@example.com',
  device_uuid: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  tv: 1,
  dv: 0,
};
const DAY_MS = 24 * 60 * 60 * 1000;

describe('TokenService', () => {
  it('accepts its own token, again from its cache, and no longer once it expired', async () => {
    let now = Date.now();
    const tokens = new TokenService('x'.repeat(64), () => now);
    const token = await tokens.issue(claims);
    expect(await tokens.verify(token)).toEqual(claims);
    expect(await tokens.verify(token)).toEqual(claims);
    now += 31 * DAY_MS;
    expect(await tokens.verify(token)).toBeUndefined();
  });

  it('refuses a token signed with another secret, or altered, even after the real one was verified', async () => {
    const tokens = new TokenService('x'.repeat(64));
    const token = await tokens.issue(claims);
    await tokens.verify(token);
    const foreign = await new TokenService('y'.repeat(64)).issue(claims);
    expect(await tokens.verify(foreign)).toBeUndefined();
    const [header, payload, signature] = token.split('.');
    const altered = Buffer.from(JSON.stringify({ ...claims, id: 8, exp: 9_999_999_999 })).toString('base64url');
    expect(payload).not.toBe(altered);
    expect(await tokens.verify(`${header}.${altered}.${signature}`)).toBeUndefined();
  });

  it('keeps answering correctly when more tokens are verified than it remembers', async () => {
    const tokens = new TokenService('x'.repeat(64));
    const issued = await Promise.all(
      Array.from({ length: 1_100 }, (_, index) => tokens.issue({ ...claims, id: index + 1 })),
    );
    for (const token of issued) await tokens.verify(token);
    const first = await tokens.verify(issued[0] ?? '');
    expect(first?.id).toBe(1);
  });
});
