/**
 * `photosync user ...` and `photosync verify` run for real on a server data directory, checked through the
 * real server API (sign-in with the created credentials, revoked sessions, deleted files).
 */
import { appendFile, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createClient } from '@photosync/client';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.ts';
import { jsonOf, runCli } from './support/run-cli.ts';

describe('photosync user / verify on a data dir', () => {
  let dataDir: string;
  let server: TestServer;
  let baseUrl: string;
  const cli = (args: string[], env: Record<string, string> = {}) => runCli([...args, '--data-dir', dataDir], env);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'photosync-cli-admin-'));
    server = await startTestServer({}, dataDir);
    baseUrl = await server.listen();
  });
  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const signIn = (email: string, password: string) =>
    createClient({ baseUrl }).login({ email, password, deviceUuid: 'admin-test' });

  it('adds accounts: a generated password is printed once and works; the first is administrator', async () => {
    const run = await cli(['user', 'add', 'Admin@Example.com', '--json']);
    expect(run.code).toBe(0);
    const created = jsonOf<{ email: string; isAdmin: boolean; password: string }>(run);
    expect(created).toMatchObject({ email: 'admin@example.com', isAdmin: true });
    expect(created.password.length).toBeGreaterThanOrEqual(12);
    await expect(signIn('admin@example.com', created.password)).resolves.toHaveProperty('token');

    const second = await cli(['user', 'add', 'anna@example.com'], { PHOTOSYNC_PASSWORD: 'anna-password-1' });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Created anna@example.com.');
    expect(second.stdout).not.toContain('anna-password-1');
    await expect(signIn('anna@example.com', 'anna-password-1')).resolves.toHaveProperty('token');
  });

  it('refuses a duplicate email and a short password with a clear message and non-zero exit', async () => {
    const duplicate = await cli(['user', 'add', 'anna@example.com'], { PHOTOSYNC_PASSWORD: 'another-pass-1' });
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toContain('Email already exists');
    const short = await cli(['user', 'add', 'short@example.com'], { PHOTOSYNC_PASSWORD: 'short' });
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain('at least 8 characters');
    const list = jsonOf<{ email: string }[]>(await cli(['user', 'list', '--json']));
    expect(list.map((account) => account.email)).toEqual(['admin@example.com', 'anna@example.com']);
  });

  it('sets and clears quotas, and rejects a bad size', async () => {
    expect((await cli(['user', 'quota', 'anna@example.com', '2GB'])).code).toBe(0);
    let anna = jsonOf<{ email: string; quotaBytes: number | null }[]>(await cli(['user', 'list', '--json'])).find(
      (a) => a.email === 'anna@example.com',
    );
    expect(anna?.quotaBytes).toBe(2_000_000_000);
    expect((await cli(['user', 'quota', 'anna@example.com', 'unlimited'])).code).toBe(0);
    anna = jsonOf<{ email: string; quotaBytes: number | null }[]>(await cli(['user', 'list', '--json'])).find(
      (a) => a.email === 'anna@example.com',
    );
    expect(anna?.quotaBytes).toBeNull();
    const bad = await cli(['user', 'quota', 'anna@example.com', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a size');
    const unknown = await cli(['user', 'quota', 'nobody@example.com', '1GB']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No account for nobody@example.com');
  });

  it('passwd sets a new password and signs out existing sessions', async () => {
    const { token } = await signIn('anna@example.com', 'anna-password-1');
    const client = createClient({ baseUrl, auth: { token, deviceUuid: 'admin-test' } });
    await expect(client.libraryStats()).resolves.toMatchObject({ count: 0 });
    expect((await cli(['user', 'passwd', 'anna@example.com'], { PHOTOSYNC_PASSWORD: 'anna-password-2' })).code).toBe(0);
    await expect(client.libraryStats()).rejects.toMatchObject({ status: 403 });
    await expect(signIn('anna@example.com', 'anna-password-1')).rejects.toBeInstanceOf(ApiError);
    await expect(signIn('anna@example.com', 'anna-password-2')).resolves.toHaveProperty('token');
  });

  it('verify reports missing, corrupt and unindexed files with exit 1, and a clean store with exit 0', async () => {
    const { token } = await signIn('anna@example.com', 'anna-password-2');
    const client = createClient({ baseUrl, auth: { token, deviceUuid: 'admin-test' } });
    for (const name of ['a.jpg', 'b.jpg', 'c.jpg'])
      await client.upload(Buffer.from(`bytes of ${name}`), { filename: name });
    const clean = await cli(['verify', '--json']);
    expect(clean.code).toBe(0);
    expect(jsonOf<{ filesChecked: number; missing: string[] }>(clean)).toMatchObject({
      filesChecked: 3,
      missing: [],
      corrupt: [],
    });

    const uuid = (
      await server.context.db
        .selectFrom('accounts')
        .select('uuid')
        .where('email', '=', 'anna@example.com')
        .executeTakeFirstOrThrow()
    ).uuid;
    const folder = join(dataDir, 'uploads', uuid);
    await unlink(join(folder, 'a.jpg'));
    await appendFile(join(folder, 'b.jpg'), 'bit rot');
    await writeFile(join(folder, 'stray.jpg'), 'copied in by hand');
    const broken = await cli(['verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`MISSING  ${uuid}/a.jpg`);
    expect(broken.stdout).toContain(`CORRUPT  ${uuid}/b.jpg`);
    expect(broken.stdout).toContain(`${uuid}/stray.jpg`);
    expect(broken.stdout).not.toContain(`${uuid}/c.jpg`);
    expect(broken.stderr).toContain('2 stored item(s) missing or corrupt');
  });

  it('delete needs --yes, then removes the account with its files', async () => {
    const refused = await cli(['user', 'delete', 'anna@example.com']);
    expect(refused.code).toBe(2);
    expect((await cli(['user', 'list', '--json'])).stdout).toContain('anna@example.com');
    expect((await cli(['user', 'delete', 'anna@example.com', '--yes'])).code).toBe(0);
    const list = jsonOf<{ email: string }[]>(await cli(['user', 'list', '--json']));
    expect(list.map((account) => account.email)).toEqual(['admin@example.com']);
    await expect(signIn('anna@example.com', 'anna-password-2')).rejects.toMatchObject({ status: 401 });
  });
});
