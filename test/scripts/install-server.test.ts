/**
 * scripts/install-server.sh run for real on this machine, as root, into a throwaway root
 * (PHOTOSYNC_PREFIX): it creates the real `photosync` system user, the app, data and settings folders and
 * the unit. Only systemctl is replaced (this machine runs no systemd), and ufw by a stand-in reporting an
 * active firewall, so the rule it adds can be seen without touching this machine's firewall.
 * `npm ci` cannot reach native binaries here, so dependencies are linked from this checkout.
 *
 * The installed tree is then started exactly as the unit says (its User, WorkingDirectory, Environment,
 * EnvironmentFile and ExecStart), answers /health and runs as `photosync`. A second run keeps data,
 * settings and secret; an upgrade from a signed archive keeps data; a tampered archive is refused;
 * --uninstall keeps data, --purge removes it and the user.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOverHttp, startInstalledServer } from '../../apps/server/test/update/support/installed-server.ts';
import { LINK_DEPENDENCIES_COMMAND, REPO_ROOT } from '../../apps/server/test/update/support/link-dependencies.ts';
import { buildTestRelease, hashTree, testKeys } from '../../apps/server/test/update/support/release-fixtures.ts';
import { startReleaseServer, type ReleaseServer } from '../../apps/server/test/update/support/release-server.ts';
import { requireReadableAs } from '../support/other-user-access.ts';
import { ensureTool, requireRoot, run } from './support/system-tools.ts';
import { parseUnit, serviceEnvironment, setting, verifyUnit } from './support/systemd-unit.ts';

const SCRIPT = join(REPO_ROOT, 'scripts', 'install-server.sh');
let prefix: string;
let stubs: string;
let work: string;
let port: number;
let feed: ReleaseServer;
const paths = () => ({
  app: join(prefix, 'opt/photosync'),
  data: join(prefix, 'var/lib/photosync'),
  envFile: join(prefix, 'etc/photosync/photosync.env'),
  unit: join(prefix, 'etc/systemd/system/photosync.service'),
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function install(args: string[] = [], extraEnv: Record<string, string> = {}) {
  return run('bash', [SCRIPT, ...args], {
    env: {
      ...process.env,
      PATH: `${stubs}:${process.env['PATH'] ?? ''}`,
      PHOTOSYNC_PREFIX: prefix,
      PHOTOSYNC_SYSTEMCTL: join(stubs, 'systemctl'),
      PHOTOSYNC_DEPS_COMMAND: LINK_DEPENDENCIES_COMMAND,
      PHOTOSYNC_UPDATE_URL: feed.feedUrl,
      ...extraEnv,
    },
  });
}
const calls = (tool: string): string[] =>
  existsSync(join(stubs, `${tool}.log`))
    ? readFileSync(join(stubs, `${tool}.log`), 'utf8')
        .trim()
        .split('\n')
    : [];

/** Start the installed service the way systemd would, from the installed unit file. */
async function startAsTheUnitSays() {
  const unit = parseUnit(readFileSync(paths().unit, 'utf8'));
  const user = setting(unit, 'Service', 'User') ?? '';
  const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, user]).toString().trim()));
  const home = execFileSync('getent', ['passwd', user]).toString().split(':')[5] ?? '/';
  const command = (setting(unit, 'Service', 'ExecStart') ?? '').split(/\s+/);
  return startInstalledServer({
    cwd: setting(unit, 'Service', 'WorkingDirectory') ?? '/',
    env: serviceEnvironment(unit, { name: user, home }),
    command,
    ...(uid === undefined ? {} : { uid }),
    ...(gid === undefined ? {} : { gid }),
  });
}

beforeAll(async () => {
  requireRoot('install-server.sh creates a system user and changes file owners');
  ensureTool('useradd', 'passwd');
  ensureTool('systemd-analyze', 'systemd');
  prefix = mkdtempSync(join(tmpdir(), 'photosync-root-'));
  chmodSync(prefix, 0o755); // the service user must be able to reach its folders
  stubs = mkdtempSync(join(tmpdir(), 'photosync-stubs-'));
  writeFileSync(join(stubs, 'systemctl'), `#!/bin/sh\necho "$*" >> "${stubs}/systemctl.log"\n`, { mode: 0o755 });
  writeFileSync(
    join(stubs, 'ufw'),
    `#!/bin/sh\nif [ "$1" = status ]; then echo "Status: active"; else echo "$*" >> "${stubs}/ufw.log"; fi\n`,
    { mode: 0o755 },
  );
  work = await mkdtemp(join(tmpdir(), 'photosync-server-release-'));
  port = await freePort();
  feed = await startReleaseServer(); // the installed server checks this feed, never the real one
});
afterAll(async () => {
  await feed.close();
  for (const dir of [prefix, stubs, work]) rmSync(dir, { recursive: true, force: true });
});

describe('install-server.sh', () => {
  it('installs the app, a system user, 0600 settings with a secret, a hardened unit and a firewall rule', () => {
    const result = install(['--port', String(port)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { app, data, envFile, unit } = paths();
    expect(readlinkSync(join(app, 'current'))).toMatch(/^releases\/\d+\.\d+\.\d+/);
    expect(execFileSync('stat', ['-c', '%U:%G %a', data]).toString().trim()).toBe('photosync:photosync 750');
    expect(execFileSync('stat', ['-c', '%U %a', envFile]).toString().trim()).toBe('root 600');
    expect(readFileSync(envFile, 'utf8')).toMatch(new RegExp(`^PORT=${port}$[\\s\\S]*^JWT_SECRET=[0-9a-f]{64}$`, 'm'));
    expect(
      execFileSync('stat', ['-c', '%U', join(app, 'current', 'package.json')])
        .toString()
        .trim(),
    ).toBe('root');
    expect(verifyUnit(unit)).toEqual({ code: 0, output: '' });
    expect(calls('systemctl')).toEqual(['daemon-reload', 'enable photosync', 'restart photosync']);
    expect(calls('ufw')).toEqual([`allow ${port}/tcp`]);
  });

  let session: Record<string, string>;
  it('starts as the unit says, answers /health and runs as the photosync user', async () => {
    const probe = join(REPO_ROOT, 'node_modules', 'tsx', 'package.json');
    requireReadableAs(
      ['runuser', '-u', 'photosync', '--'],
      'the photosync user',
      probe,
      'linked into the test install',
    );
    const server = await startAsTheUnitSays();
    try {
      expect((await fetch(`${server.url}/health`, { headers: { connection: 'close' } })).status).toBe(200);
      const uids = /^Uid:\s+(.*)$/m.exec(await readFile(`/proc/${server.pid}/status`, 'utf8'))?.[1]?.split(/\s+/);
      const photosync = execFileSync('id', ['-u', 'photosync']).toString().trim();
      expect(uids).toEqual([photosync, photosync, photosync, photosync]);
      session = await registerOverHttp(server.url, 'admin@example.com');
      const upload = await fetch(`${server.url}/api/upload/raw`, {
        method: 'POST',
        headers: { ...session, 'x-filename': 'first.jpg', 'content-type': 'image/jpeg' },
        body: Buffer.alloc(30_000, 9),
      });
      expect(upload.status).toBe(200);
      expect(
        execFileSync('stat', ['-c', '%U', join(paths().data, 'backup.db')])
          .toString()
          .trim(),
      ).toBe('photosync');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('run again: keeps data, settings and the secret, and the same account still works', async () => {
    const { data, envFile } = paths();
    const before = { data: await hashTree(data), env: readFileSync(envFile, 'utf8') };
    const result = install();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/already installed/);
    expect({ data: await hashTree(data), env: readFileSync(envFile, 'utf8') }).toEqual(before);

    const server = await startAsTheUnitSays();
    try {
      const files = await fetch(`${server.url}/api/files`, { headers: session });
      expect(JSON.stringify(await files.json())).toContain('first.jpg');
    } finally {
      await server.stop();
    }
  });

  it('upgrades from a signed release archive, refuses a tampered one, and keeps data either way', async () => {
    const keys = testKeys();
    const keyFile = join(work, 'release-public-key.pem');
    writeFileSync(keyFile, keys.publicKeyPem);
    const next = await buildTestRelease(work, '9.0.0', keys);
    const { app, data } = paths();
    const before = await hashTree(data);

    const tampered = join(work, 'tampered', 'photosync-9.0.0.tar.gz');
    execFileSync('mkdir', ['-p', join(work, 'tampered')]);
    const bytes = readFileSync(next.archivePath);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 50) ^ 0xff, bytes.length - 50);
    writeFileSync(tampered, bytes);
    for (const suffix of ['.sha256', '.sha256.sig'])
      writeFileSync(`${tampered}${suffix}`, readFileSync(`${next.archivePath}${suffix}`));
    const refused = install(['--archive', tampered], { PHOTOSYNC_RELEASE_PUBLIC_KEY: keyFile });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/release verification failed: the archive does not match its signed SHA-256/);
    expect(readlinkSync(join(app, 'current'))).not.toBe('releases/9.0.0');

    const upgraded = install(['--archive', next.archivePath], { PHOTOSYNC_RELEASE_PUBLIC_KEY: keyFile });
    expect(upgraded.stderr).toBe('');
    expect(upgraded.code).toBe(0);
    expect(readlinkSync(join(app, 'current'))).toBe('releases/9.0.0');
    expect(await hashTree(data)).toEqual(before);
  });

  it('--uninstall keeps data and settings; --uninstall --purge removes them and the user', async () => {
    const { app, data, envFile, unit } = paths();
    const before = await hashTree(data);
    expect(install(['--uninstall']).code).toBe(0);
    expect(existsSync(app) || existsSync(unit)).toBe(false);
    expect(await hashTree(data)).toEqual(before);
    expect(statSync(envFile).isFile()).toBe(true);
    expect(calls('systemctl')).toContain('disable --now photosync');
    expect(calls('ufw')).toContain(`delete allow ${port}/tcp`);

    expect(install(['--uninstall', '--purge']).code).toBe(0);
    expect(existsSync(data) || existsSync(envFile)).toBe(false);
    expect(run('id', ['photosync']).code).not.toBe(0);
  });
});
