// End to end: what a person sees when something is wrong — unreachable server, wrong password, an expired
// or corrupted saved session, a file that cannot be read — is one clear line and a non-zero exit code,
// and the next run, with the problem fixed, works (no partial state breaks it).
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupReport } from '@photosync/client';
import { requireReadableAs } from '../../../test/support/other-user-access.ts';
import { BIN, jsonOf, runCli, serverWithAccount, type Account } from './support/cli.ts';
import { ensureMediaTools, makeJpeg, makePng } from './support/media.ts';

let account: Account;
let work: string;
let photos: string;

beforeAll(async () => {
  ensureMediaTools();
  account = await serverWithAccount();
  work = await mkdtemp(join(tmpdir(), 'photosync-cli-bad-'));
  photos = join(work, 'photos');
  await mkdir(photos);
  makeJpeg(join(photos, 'a.jpg'));
}, 180_000);

afterAll(async () => {
  await account?.server.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });
  await rm(account?.dataDir ?? '', { recursive: true, force: true });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** One line on stderr, prefixed like every CLI error. */
const oneLine = (stderr: string): string => {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
};

describe('bad input', () => {
  it('unreachable server: exit 3 and a clear message, then a run against the real server works', async () => {
    const stateDir = join(work, 'state-unreachable');
    const url = `http://127.0.0.1:${await closedPort()}`;
    const [down, wrongPassword] = await Promise.all([
      runCli(['backup', photos, ...account.flags(stateDir, url), '--json'], account.env),
      runCli(['backup', photos, ...account.flags(join(work, 'state-password')), '--json'], {
        PHOTOSYNC_PASSWORD: 'not-the-password',
      }),
    ]);
    expect(down.code).toBe(3);
    expect(oneLine(down.stderr)).toMatch(/^photosync: cannot reach the server \(ECONNREFUSED\)/);
    expect(down.stdout).toBe('');
    expect(wrongPassword.code).toBe(4);
    expect(oneLine(wrongPassword.stderr)).toBe('photosync: Invalid credentials (run `photosync login` again)');

    const works = await runCli(['backup', photos, ...account.flags(stateDir), '--json'], account.env);
    expect(works.code).toBe(0);
    expect(jsonOf<BackupReport>(works).filesScanned).toBe(1);
  });

  it('a missing password is a usage error that says where the password goes', async () => {
    const result = await runCli(['backup', photos, ...account.flags(join(work, 'state-nopass'))], {
      PHOTOSYNC_PASSWORD: '',
    });
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toContain('set PHOTOSYNC_PASSWORD');
  });

  it('expired or corrupted saved session: exit 4 saying to sign in again; signing in again fixes it', async () => {
    const stateDir = join(work, 'state-session');
    const login = await runCli(['login', ...account.flags(stateDir)], account.env);
    expect(login.code).toBe(0);
    const sessionPath = join(stateDir, 'session.json');
    const session = JSON.parse(await readFile(sessionPath, 'utf8')) as { token: string };

    // Expired: the same claims, signed with the server's key, but past their expiry.
    const secret = (await readFile(join(account.dataDir, 'jwt-secret'), 'utf8')).trim();
    const claims = JSON.parse(Buffer.from(session.token.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const { iat: _iat, exp: _exp, ...rest } = claims;
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new SignJWT(rest)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(past - 3600)
      .setExpirationTime(past)
      .sign(new TextEncoder().encode(secret));
    for (const token of [expired, `${session.token.slice(0, -6)}AAAAAA`]) {
      await writeFile(sessionPath, JSON.stringify({ ...session, token }));
      const result = await runCli(['backup', photos, '--state-dir', stateDir, '--json']);
      expect(result.code).toBe(4);
      expect(oneLine(result.stderr)).toBe('photosync: Invalid or expired token (run `photosync login` again)');
    }

    const again = await runCli(['backup', photos, ...account.flags(stateDir), '--json'], account.env);
    expect(again.code).toBe(0);
    const fromSaved = await runCli(['backup', photos, '--state-dir', stateDir, '--json']);
    expect(fromSaved.code).toBe(0);
    expect(jsonOf<BackupReport>(fromSaved)).toMatchObject({ filesHashedFromCache: 1, bytesSent: 0 });
  });

  it('a file that cannot be read is named, the others are backed up, exit 1; the next run picks it up', async () => {
    // As root every file is readable, so this run is made as `nobody` (setpriv), where permissions bite.
    const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    requireReadableAs(asNobody, 'nobody', BIN, 'the CLI this test runs as nobody');
    const shared = join(work, 'shared');
    const stateDir = join(shared, 'state');
    const folder = join(shared, 'photos');
    await mkdir(folder, { recursive: true });
    await mkdir(stateDir);
    makeJpeg(join(folder, 'readable.jpg'), 3);
    makePng(join(folder, 'locked.png'), 4);
    for (const path of [work, shared, folder, stateDir]) await chmod(path, 0o777);
    await chmod(join(folder, 'readable.jpg'), 0o644);
    await chmod(join(folder, 'locked.png'), 0o000);

    const failing = await runCli(['backup', folder, ...account.flags(stateDir), '--json'], account.env, asNobody);
    expect(failing.code).toBe(1);
    const report = jsonOf<BackupReport>(failing);
    expect(report).toMatchObject({ filesScanned: 2, filesUploaded: 1 });
    expect(report.failed).toEqual([
      { path: join(folder, 'locked.png'), error: expect.stringContaining('EACCES') as string },
    ]);
    expect(failing.stderr).toContain(`not backed up: ${join(folder, 'locked.png')}: cannot read: EACCES`);
    expect(failing.stderr.trim().split('\n').at(-1)).toBe('photosync: 1 file(s) could not be backed up (listed above)');

    await chmod(join(folder, 'locked.png'), 0o644);
    const fixed = await runCli(['backup', folder, ...account.flags(stateDir), '--json'], account.env, asNobody);
    expect(fixed.code).toBe(0);
    expect(jsonOf<BackupReport>(fixed)).toMatchObject({ filesHashedFromCache: 1, filesUploaded: 1, failed: [] });
  });
});
