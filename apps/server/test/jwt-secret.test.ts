/** Defect 2: no built-in JWT secret; a random one per data dir, kept with mode 0600 and reused on restart. */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { bearer, claimsOf, nowSeconds, signToken, storedSecret } from './support/jwt.ts';
import { registerUser, startTestServer, type TestServer } from './support/test-server.ts';

describe('generated secret', () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    first = await startTestServer();
    second = await startTestServer();
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('is written to {dataDir}/jwt-secret with mode 0600 and at least 32 characters', async () => {
    const info = await stat(join(first.dataDir, 'jwt-secret'));
    expect(info.mode & 0o777).toBe(0o600);
    expect((await storedSecret(first.dataDir)).length).toBeGreaterThanOrEqual(32);
  });

  it('differs between two fresh data directories', async () => {
    expect(await storedSecret(first.dataDir)).not.toBe(await storedSecret(second.dataDir));
  });

  it('is the key the tokens are signed with', async () => {
    const user = await registerUser(first.app);
    const key = new TextEncoder().encode(await storedSecret(first.dataDir));
    const { payload } = await jwtVerify(user.token, key, { algorithms: ['HS256'] });
    expect(payload['id']).toBe(user.userId);
    await expect(jwtVerify(user.token, new TextEncoder().encode(await storedSecret(second.dataDir)))).rejects.toThrow();
  });
});

describe('a fixed data directory', () => {
  let dir: string;
  let server: TestServer | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photosync-secret-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('keeps its secret across restarts, so earlier tokens still work', async () => {
    server = await startTestServer({}, dir);
    const user = await registerUser(server.app);
    const before = await readFile(join(dir, 'jwt-secret'), 'utf8');
    await server.close();
    server = await startTestServer({}, dir);
    expect(await readFile(join(dir, 'jwt-secret'), 'utf8')).toBe(before);
    expect((await server.app.inject({ url: '/api/files', headers: user.headers })).statusCode).toBe(200);
  });

  it('tightens a pre-existing secret file to mode 0600 and keeps using it', async () => {
    const secret = randomBytes(40).toString('hex');
    await writeFile(join(dir, 'jwt-secret'), `${secret}\n`);
    await chmod(join(dir, 'jwt-secret'), 0o644);
    server = await startTestServer({}, dir);
    expect((await stat(join(dir, 'jwt-secret'))).mode & 0o777).toBe(0o600);
    const user = await registerUser(server.app);
    const token = await signToken(secret, await claimsOf(server, user), nowSeconds() + 3600);
    expect((await server.app.inject({ url: '/api/files', headers: bearer(token, user.deviceUuid) })).statusCode).toBe(
      200,
    );
  });
});

describe('JWT_SECRET', () => {
  const secret = randomBytes(32).toString('hex');
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ JWT_SECRET: secret });
  });
  afterAll(async () => server.close());

  it('writes no secret file and verifies tokens signed with the configured secret', async () => {
    expect(existsSync(join(server.dataDir, 'jwt-secret'))).toBe(false);
    const user = await registerUser(server.app);
    await expect(jwtVerify(user.token, new TextEncoder().encode(secret))).resolves.toBeDefined();
    const token = await signToken(secret, await claimsOf(server, user), nowSeconds() + 3600);
    expect((await server.app.inject({ url: '/api/files', headers: bearer(token, user.deviceUuid) })).statusCode).toBe(
      200,
    );
  });

  it('is refused when shorter than 32 characters', () => {
    expect(() => loadConfig({ JWT_SECRET: 'x'.repeat(31) }, tmpdir())).toThrow(ConfigError);
    expect(() => loadConfig({ JWT_SECRET: 'changeme' }, tmpdir())).toThrow(/JWT_SECRET/);
    expect(loadConfig({ JWT_SECRET: 'x'.repeat(32) }, tmpdir()).jwtSecret).toBe('x'.repeat(32));
  });
});
