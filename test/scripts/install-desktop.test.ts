/**
 * scripts/install.sh as `curl ... | bash` runs it: the script arrives on standard input (so any `read` would
 * swallow it) and, with no checkout around it, downloads the latest release from the feed — here a feed on
 * loopback serving releases built and signed by the release script with a test key. It installs into a
 * throwaway HOME, writes the systemd user unit (systemctl replaced: no user session here), and the
 * installed server starts as that unit says. Re-running with a newer release upgrades and keeps the data
 * byte-identical; a tampered or unsigned release is refused and changes nothing.
 */
import { existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstalledServer } from '../../apps/server/test/update/support/installed-server.ts';
import { LINK_DEPENDENCIES_COMMAND, REPO_ROOT } from '../../apps/server/test/update/support/link-dependencies.ts';
import {
  buildTestRelease,
  hashTree,
  published,
  testKeys,
  type BuiltTestRelease,
} from '../../apps/server/test/update/support/release-fixtures.ts';
import { startReleaseServer, type ReleaseServer } from '../../apps/server/test/update/support/release-server.ts';
import { releaseAssetNames } from '../../apps/server/src/services/update/release-feed.ts';
import { runAsync } from './support/system-tools.ts';
import { parseUnit, serviceEnvironment, setting } from './support/systemd-unit.ts';

const SCRIPT = readFileSync(join(REPO_ROOT, 'scripts', 'install.sh'), 'utf8');
let work: string;
let home: string;
let feed: ReleaseServer;
let first: BuiltTestRelease;
let second: BuiltTestRelease;
const root = () => join(home, 'PhotoSync');

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'photosync-desktop-'));
  home = join(work, 'home');
  await mkdir(home);
  const keys = testKeys();
  await writeFile(join(work, 'release-public-key.pem'), keys.publicKeyPem);
  await writeFile(join(work, 'systemctl'), `#!/bin/sh\necho "$*" >> "${work}/systemctl.log"\n`, { mode: 0o755 });
  [first, second] = await Promise.all([buildTestRelease(work, '1.0.0', keys), buildTestRelease(work, '1.1.0', keys)]);
  feed = await startReleaseServer();
});
afterAll(async () => {
  await feed.close();
  await rm(work, { recursive: true, force: true });
});

/** `curl -fsSL .../install.sh | bash`, from a folder that is not a checkout. */
function curlPipeBash() {
  return runAsync('bash', [], {
    input: SCRIPT,
    cwd: work,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      PHOTOSYNC_UPDATE_URL: feed.feedUrl,
      PHOTOSYNC_RELEASE_PUBLIC_KEY: join(work, 'release-public-key.pem'),
      PHOTOSYNC_DEPS_COMMAND: LINK_DEPENDENCIES_COMMAND,
      PHOTOSYNC_SYSTEMCTL: join(work, 'systemctl'),
    },
  });
}

describe('install.sh piped into bash', () => {
  it('downloads and verifies the latest release, installs to ~/PhotoSync and sets up start at login', async () => {
    feed.publish(published(first));
    const result = await curlPipeBash();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readlinkSync(join(root(), 'current'))).toBe('releases/1.0.0');
    expect(readFileSync(join(root(), 'photosync.env'), 'utf8')).toContain(`PHOTOSYNC_DATA_DIR=${join(root(), 'data')}`);
    const unit = parseUnit(readFileSync(join(home, '.config/systemd/user/photosync.service'), 'utf8'));
    expect(setting(unit, 'Service', 'WorkingDirectory')).toBe(join(root(), 'current'));
    expect(setting(unit, 'Install', 'WantedBy')).toBe('default.target');
    expect(readFileSync(join(work, 'systemctl.log'), 'utf8').trim().split('\n')).toEqual([
      '--user daemon-reload',
      '--user enable photosync',
      '--user restart photosync',
    ]);
  });

  it('the installed server starts as the user unit says and keeps its data in ~/PhotoSync/data', async () => {
    const unit = parseUnit(readFileSync(join(home, '.config/systemd/user/photosync.service'), 'utf8'));
    const env: NodeJS.ProcessEnv = {
      ...serviceEnvironment(unit, { name: 'user', home }),
      HOST: '127.0.0.1',
      PORT: '0',
    };
    expect(env['UV_THREADPOOL_SIZE']).toBe('16'); // libuv's thread pool (docs/DECISIONS.md)
    const server = await startInstalledServer({
      cwd: setting(unit, 'Service', 'WorkingDirectory') ?? '/',
      env,
      command: (setting(unit, 'Service', 'ExecStart') ?? '').split(/\s+/),
    });
    try {
      expect((await fetch(`${server.url}/health`, { headers: { connection: 'close' } })).status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(existsSync(join(root(), 'data', 'backup.db'))).toBe(true);
  });

  it('run again with a newer release: upgrades, keeps data and settings byte-identical', async () => {
    writeFileSync(join(root(), 'data', 'family-photo.jpg'), Buffer.alloc(10_000, 5));
    const before = {
      data: await hashTree(join(root(), 'data')),
      env: readFileSync(join(root(), 'photosync.env'), 'utf8'),
    };
    feed.publish(published(second));
    const result = await curlPipeBash();
    expect(result.code).toBe(0);
    expect(readlinkSync(join(root(), 'current'))).toBe('releases/1.1.0');
    expect(existsSync(join(root(), 'releases', '1.0.0'))).toBe(true);
    expect({
      data: await hashTree(join(root(), 'data')),
      env: readFileSync(join(root(), 'photosync.env'), 'utf8'),
    }).toEqual(before);
  });

  it('refuses a tampered or unsigned release and changes nothing', async () => {
    const names = releaseAssetNames('1.1.0');
    const before = await hashTree(root(), ['node_modules']);
    const tampered = Buffer.from(second.assets[names.archive] ?? Buffer.alloc(0));
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 10) ^ 0xff, tampered.length - 10);
    feed.publish(published(second, { [names.archive]: tampered }));
    const refused = await curlPipeBash();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('the archive does not match its signed SHA-256');

    feed.publish(published(second, { [names.signature]: undefined }));
    const unsigned = await curlPipeBash();
    expect(unsigned.code).not.toBe(0);
    expect(unsigned.stderr).toContain('has no photosync-1.1.0.tar.gz.sha256.sig (unsigned releases are refused)');
    expect(await hashTree(root(), ['node_modules'])).toEqual(before);
  });
});
