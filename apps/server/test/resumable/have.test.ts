// Bulk "have" (POST /api/v2/library/have): one request splits up to 10,000 SHA-256s into what the calling
// account stores (with the stored name) and what it lacks, answered from the index.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@photosync/client';
import { sha256 } from '../support/library.ts';
import { registerUser, startTestServer, uploadRaw, type Session, type TestServer } from '../support/test-server.ts';

const randomHash = (): string => randomBytes(32).toString('hex');

describe('POST /api/v2/library/have', () => {
  let server: TestServer;
  let owner: Session;
  let other: Session;
  const stored = new Map<string, string>(); // sha256 → name, for `owner`

  beforeAll(async () => {
    server = await startTestServer();
    owner = await registerUser(server.app);
    other = await registerUser(server.app);
    for (let i = 0; i < 25; i += 1) {
      const bytes = randomBytes(100 + i);
      const response = await uploadRaw(server.app, owner, `photo-${i}.jpg`, bytes);
      expect(response.statusCode).toBe(200);
      stored.set(sha256(bytes), `photo-${i}.jpg`);
    }
  });
  afterAll(async () => server.close());

  const have = (session: Session | undefined, payload: unknown) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v2/library/have',
      headers: session?.headers ?? {},
      payload: payload as object,
    });

  it('splits 10,000 hashes exactly into stored (with names) and missing, in request order', async () => {
    const storedHashes = [...stored.keys()];
    const asked = Array.from({ length: 10_000 }, randomHash);
    storedHashes.forEach((hash, i) => (asked[i * 397] = hash)); // spread through the request
    const response = await have(owner, { sha256s: asked });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ have: { sha256: string; filename: string }[]; missing: string[] }>();
    expect(body.have).toEqual(storedHashes.map((hash) => ({ sha256: hash, filename: stored.get(hash) })));
    expect(body.missing).toEqual(asked.filter((hash) => !stored.has(hash)));
    expect(body.have.length + body.missing.length).toBe(10_000);
  });

  it('accepts uppercase hex, answers lowercase, and reports a repeated hash once', async () => {
    const [known] = stored.keys();
    const unknown = randomHash();
    const response = await have(owner, { sha256s: [known!.toUpperCase(), unknown.toUpperCase(), known, unknown] });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ have: [{ sha256: known, filename: stored.get(known!) }], missing: [unknown] });
  });

  it("never reports another account's files", async () => {
    const response = await have(other, { sha256s: [...stored.keys()] });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ have: [], missing: [...stored.keys()] });
  });

  it('refuses bad input with 400 and a message, and anonymous callers with 401', async () => {
    const tooMany = Array.from({ length: 10_001 }, randomHash);
    for (const payload of [{}, { sha256s: [] }, { sha256s: tooMany }, { sha256s: ['abc'] }, { sha256s: 'x' }]) {
      const response = await have(owner, payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'VALIDATION_ERROR',
        error: expect.stringMatching(/sha256s/) as unknown,
      });
    }
    const nonHex = await have(owner, { sha256s: ['g'.repeat(64)] });
    expect(nonHex.json<{ error: string }>().error).toMatch(/64 hexadecimal characters/);
    expect((await have(undefined, { sha256s: [randomHash()] })).statusCode).toBe(401);
  });

  it('is what the client calls: haveFiles() returns the validated split', async () => {
    const baseUrl = await server.listen();
    const client = createClient({ baseUrl, auth: { token: owner.token, deviceUuid: owner.deviceUuid } });
    const [known] = stored.keys();
    const unknown = randomHash();
    expect(await client.haveFiles([known!, unknown])).toEqual({
      have: [{ sha256: known, filename: stored.get(known!) }],
      missing: [unknown],
    });
  });
});
