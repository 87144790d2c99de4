/**
 * `npm run update` against a release feed on loopback, with real archives built and signed by the release
 * script (a test key), installed in the installers' layout. Proves: the new version is switched in, the old
 * one kept and backed up, and the data directory is byte-identical; tampered, wrongly signed, unsigned and
 * cut-off downloads are refused; a failing dependency install or a new version that cannot start rolls
 * back, leaving the old version in place and runnable.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listArchive } from '../../src/services/update/app-archive.ts';
import { commandInstaller } from '../../src/services/update/dependency-install.ts';
import { releaseAssetNames } from '../../src/services/update/release-feed.ts';
import { installUpdate, UpdateFailed, type UpdateDeps } from '../../src/services/update/release-installer.ts';
import { checksumText, signChecksum } from '../../src/services/update/release-signature.ts';
import { registerUser, startTestServer, uploadRaw } from '../support/test-server.ts';
import { startInstalledServer } from './support/installed-server.ts';
import { linkDependencies } from './support/link-dependencies.ts';
import {
  buildTestRelease,
  hashTree,
  installFixture,
  published,
  testKeys,
  type BuiltTestRelease,
  type TestKeys,
} from './support/release-fixtures.ts';
import { startReleaseServer, type ReleaseServer } from './support/release-server.ts';

let work: string;
let keys: TestKeys;
let oldRelease: BuiltTestRelease;
let newRelease: BuiltTestRelease;
let feed: ReleaseServer;
let root: string;
let dataDir: string;
let snapshot: { app: Record<string, string>; data: Record<string, string> };

const names = releaseAssetNames('0.2.0');

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'photosync-update-'));
  keys = testKeys();
  [oldRelease, newRelease] = await Promise.all([
    buildTestRelease(work, '0.1.0', keys),
    buildTestRelease(work, '0.2.0', keys),
  ]);
  feed = await startReleaseServer();
});
afterAll(async () => {
  await feed.close();
  await rm(work, { recursive: true, force: true });
});

/** A fresh install of 0.1.0 with a data directory full of files, before every test. */
beforeEach(async () => {
  root = await mkdtemp(join(work, 'install-'));
  await installFixture(root, oldRelease);
  dataDir = join(root, 'data');
  await mkdir(join(dataDir, 'uploads', 'account-1'), { recursive: true });
  await writeFile(join(dataDir, 'uploads', 'account-1', 'IMG_0001.HEIC'), Buffer.alloc(200_000, 7));
  await writeFile(join(dataDir, 'backup.db'), 'not really sqlite, but bytes that must not change');
  await writeFile(join(dataDir, 'jwt-secret'), 'x'.repeat(64), { mode: 0o600 });
  snapshot = await takeSnapshot();
});

async function takeSnapshot(): Promise<{ app: Record<string, string>; data: Record<string, string> }> {
  return { app: await hashTree(join(root, 'releases', '0.1.0'), ['node_modules']), data: await hashTree(dataDir) };
}

function deps(overrides: Partial<UpdateDeps> = {}): UpdateDeps {
  return {
    installRoot: root,
    feedUrl: feed.feedUrl,
    publicKeyPem: keys.publicKeyPem,
    installDependencies: linkDependencies,
    dataDirs: [dataDir],
    ...overrides,
  };
}

/** The installed version is exactly as before: same link, same files, no leftovers, same data. */
async function expectNothingChanged(): Promise<void> {
  expect(await readlink(join(root, 'current'))).toBe(join('releases', '0.1.0'));
  expect(await readdir(join(root, 'releases'))).toEqual(['0.1.0']);
  expect((await readdir(root)).filter((name) => name.startsWith('.'))).toEqual([]);
  expect(await takeSnapshot()).toEqual(snapshot);
}

async function expectRefused(update: Promise<unknown>, reason: RegExp): Promise<void> {
  const error = await update.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UpdateFailed);
  expect((error as Error).message).toMatch(reason);
  expect((error as Error).message).toMatch(/Rolled back: PhotoSync 0\.1\.0 is still installed/);
  await expectNothingChanged();
}

describe('npm run update', () => {
  it('installs the new version beside the old one, switches, backs up, and leaves the data untouched', async () => {
    // A real data directory, written by this code (which is what 0.1.0 is): an account and a photo.
    await rm(dataDir, { recursive: true });
    const old = await startTestServer({}, dataDir);
    const account = await registerUser(old.app, { email: 'owner@example.com' });
    expect((await uploadRaw(old.app, account, 'beach.jpg', Buffer.alloc(50_000, 3))).statusCode).toBe(200);
    await old.close();
    const session = { ...account.headers, connection: 'close' };
    const env = { ...process.env, PHOTOSYNC_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0' };
    snapshot = await takeSnapshot();

    feed.publish(published(newRelease));
    const lines: string[] = [];
    const result = await installUpdate(deps({ log: (line) => lines.push(line) }));

    expect(result).toMatchObject({ kind: 'updated', from: '0.1.0', to: '0.2.0' });
    expect(await readlink(join(root, 'current'))).toBe(join('releases', '0.2.0'));
    expect(await realpath(join(root, 'current'))).toBe(join(root, 'releases', '0.2.0'));
    expect(await takeSnapshot()).toEqual(snapshot); // old version kept as it was, data byte-identical
    if (result.kind !== 'updated') throw new Error('not updated');
    const backup = await listArchive(result.backup);
    expect(backup).toContain('0.1.0/package.json');
    expect(backup).toContain('0.1.0/apps/server/src/main.ts');
    expect(backup.some((entry) => entry.includes('node_modules'))).toBe(false);
    expect(lines.join('\n')).toMatch(/Downloaded and verified 0\.2\.0 \(Ed25519 signature, SHA-256 [0-9a-f]{64}\)/);
    expect((await readdir(root)).filter((name) => name.startsWith('.'))).toEqual([]);

    // The new version starts on the same data: same account, same photo, and it reports 0.2.0.
    const after = await startInstalledServer({ cwd: join(root, 'current'), env });
    try {
      const files = await fetch(`${after.url}/api/files`, { headers: session });
      expect(JSON.stringify(await files.json())).toContain('beach.jpg');
      const status = await fetch(`${after.url}/api/v2/server/status`, { headers: session });
      expect(((await status.json()) as { version: string }).version).toBe('0.2.0');
    } finally {
      await after.stop();
    }
  });

  it('refuses an archive altered after signing (SHA-256 mismatch)', async () => {
    const tampered = Buffer.from(newRelease.assets[names.archive] ?? Buffer.alloc(0));
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 100) ^ 0xff, tampered.length - 100);
    feed.publish(published(newRelease, { [names.archive]: tampered }));
    await expectRefused(installUpdate(deps()), /SHA-256 .* differs from the signed checksum/);
  });

  it('refuses an archive whose checksum was recomputed by someone without the key', async () => {
    const tampered = Buffer.concat([newRelease.assets[names.archive] ?? Buffer.alloc(0), Buffer.from('extra')]);
    const { createHash } = await import('node:crypto');
    const forged = checksumText(createHash('sha256').update(tampered).digest('hex'), names.archive);
    feed.publish(published(newRelease, { [names.archive]: tampered, [names.checksum]: Buffer.from(forged) }));
    await expectRefused(installUpdate(deps()), /signature does not match the PhotoSync release key/);
  });

  it('refuses a release signed with another key', async () => {
    const stranger = testKeys();
    const signature = signChecksum(newRelease.assets[names.checksum] ?? '', stranger.privateKeyPem);
    feed.publish(published(newRelease, { [names.signature]: Buffer.from(signature) }));
    await expectRefused(installUpdate(deps()), /signature does not match the PhotoSync release key/);
  });

  it('refuses an unsigned release', async () => {
    feed.publish(published(newRelease, { [names.signature]: undefined }));
    await expectRefused(installUpdate(deps()), /has no signature: it is unsigned/);
  });

  it('refuses a download cut mid-way', async () => {
    feed.publish(published(newRelease), { cutArchiveAfter: 20_000 });
    await expectRefused(installUpdate(deps()), /download of .*photosync-0\.2\.0\.tar\.gz (was cut off|failed after)/);
  });

  it('rolls back when installing dependencies fails, and the old version still runs', async () => {
    feed.publish(published(newRelease));
    const failing = commandInstaller(`sh -c 'echo "npm error network unreachable" >&2; exit 1'`);
    await expectRefused(installUpdate(deps({ installDependencies: failing })), /npm error network unreachable/);

    const env = {
      ...process.env,
      PHOTOSYNC_DATA_DIR: join(work, `rollback-data-${Date.now()}`),
      HOST: '127.0.0.1',
      PORT: '0',
    };
    const server = await startInstalledServer({ cwd: join(root, 'current'), env });
    try {
      expect(await realpath(join(root, 'current'))).toBe(join(root, 'releases', '0.1.0'));
      expect((await fetch(`${server.url}/health`, { headers: { connection: 'close' } })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('rolls back when the new version cannot start (dependencies "installed" but missing)', async () => {
    feed.publish(published(newRelease));
    await expectRefused(installUpdate(deps({ installDependencies: commandInstaller('true') })), /self-test/);
  });

  it('changes nothing when the installed version is the latest', async () => {
    feed.publish(published(oldRelease));
    expect(await installUpdate(deps())).toEqual({
      kind: 'up-to-date',
      currentVersion: '0.1.0',
      latestVersion: '0.1.0',
    });
    expect(existsSync(join(root, 'backups'))).toBe(false);
    await expectNothingChanged();
  });

  it('refuses to update while the data directory lives inside the app folder', async () => {
    feed.publish(published(newRelease));
    await mkdir(join(root, 'current', 'data'));
    const requestsBefore = feed.requests.length;
    const error = await installUpdate(deps()).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/data directory .* is inside the app folder/);
    expect(feed.requests.length).toBe(requestsBefore); // refused before asking the feed
    expect(await readlink(join(root, 'current'))).toBe(join('releases', '0.1.0'));
  });
});
