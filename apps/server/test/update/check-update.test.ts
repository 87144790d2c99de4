/**
 * `npm run check-update` as a person runs it (root folder and apps/server), against a feed on loopback:
 * what it prints (installed and latest version, release notes) and its exit codes — 0 up to date, 10 an
 * update is available, 1 the check failed. Also `npm run update` in a source checkout: exit 2, nothing done.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_VERSION } from '../../src/services/update/app-version.ts';
import { REPO_ROOT } from './support/link-dependencies.ts';
import { startReleaseServer, type ReleaseServer } from './support/release-server.ts';

const [major = 0, minor = 0, patch = 0] = APP_VERSION.split(/[.-]/).map(Number);
const NEWER = `${major + 1}.0.0`;
const NEWER_PRERELEASE = `${major + 1}.0.0-rc.1`;
const SAME = `${major}.${minor}.${patch}`;

let feed: ReleaseServer;
beforeAll(async () => {
  feed = await startReleaseServer();
});
afterAll(() => feed.close());

function run(
  command: readonly string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const [file = 'npm', ...args] = command;
    const child = spawn(file, args, {
      cwd,
      env: { ...process.env, PHOTOSYNC_UPDATE_URL: feed.feedUrl, PHOTOSYNC_UPDATE_CHECK: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const direct = ['node', '--import', 'tsx', 'apps/server/src/update-main.ts', 'check'];

describe('npm run check-update', () => {
  it('exits 10 and prints both versions and the release notes when an update exists (root folder)', async () => {
    feed.publish({ version: NEWER, notes: 'Faster uploads.\nFixes the HEIC thumbnails.', assets: {} });
    const result = await run(['npm', 'run', '--silent', 'check-update'], REPO_ROOT);
    expect(result.code).toBe(10);
    expect(result.stdout).toContain(`Installed: PhotoSync ${APP_VERSION}`);
    expect(result.stdout).toContain(`Latest:    PhotoSync ${NEWER} (published 2026-01-15)`);
    expect(result.stdout).toContain('  Faster uploads.\n  Fixes the HEIC thumbnails.');
    expect(result.stdout).toContain('An update is available. Install it with `npm run update`');
  });

  it('exits 0 when the installed version is the latest (apps/server folder)', async () => {
    feed.publish({ version: SAME, assets: {} });
    const result = await run(['npm', 'run', '--silent', 'check-update'], `${REPO_ROOT}/apps/server`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('PhotoSync is up to date.');
  });

  it('exits 0 when the only newer release is a pre-release (not offered to a release install)', async () => {
    feed.publish({ version: NEWER_PRERELEASE, prerelease: true, assets: {} });
    const result = await run(direct, REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Latest:    PhotoSync ${NEWER_PRERELEASE}`);
  });

  it('exits 1 and says why when the feed cannot be read', async () => {
    feed.publish({ version: NEWER, assets: {} }, { feedStatus: 503 });
    const result = await run(direct, REPO_ROOT);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Could not check for updates: the release feed answered 503');
  });
});

describe('npm run update in a source checkout', () => {
  it('exits 2 and points to git, without contacting the feed', async () => {
    const before = feed.requests.length;
    const result = await run(['node', '--import', 'tsx', 'apps/server/src/update-main.ts', 'apply'], REPO_ROOT);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(
      'is a source checkout, not an installed copy: update it with `git pull && npm install`',
    );
    expect(feed.requests.length).toBe(before);
  });
});
