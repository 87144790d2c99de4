// End to end: `photosync backup/restore --mode stealthcloud` with the real CLI and server. The first backup
// creates the vault and prints its recovery words once (stderr); files go up encrypted; an unchanged tree
// sends nothing; a restore into an empty folder is byte-identical, folders included.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupReport, RestoreReport } from '@photosync/client';
import { jsonOf, runCli, serverWithAccount, signedInClient, type Account } from './support/cli.ts';
import { ensureMediaTools, makeHeic, makeJpeg, makeMp4 } from './support/media.ts';

let account: Account;
let work: string;
let photos: string;

beforeAll(async () => {
  ensureMediaTools();
  account = await serverWithAccount();
  work = await mkdtemp(join(tmpdir(), 'photosync-cli-vault-'));
  photos = join(work, 'Pictures');
  await mkdir(join(photos, 'videos'), { recursive: true });
  makeJpeg(join(photos, 'beach.jpg'));
  makeHeic(join(photos, 'IMG_0001.HEIC'), work);
  makeMp4(join(photos, 'videos', 'clip.mp4'));
}, 180_000);

afterAll(async () => {
  await account?.server.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });
  await rm(account?.dataDir ?? '', { recursive: true, force: true });
});

describe('photosync backup --mode stealthcloud', () => {
  const stateDir = (): string => join(work, 'state');
  const backup = (env: Record<string, string>) =>
    runCli(['backup', photos, '--mode', 'stealthcloud', ...account.flags(stateDir()), '--json'], {
      ...account.env,
      ...env,
    });

  it('refuses to start without a vault password, naming the variable', async () => {
    const result = await backup({});
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'photosync: set PHOTOSYNC_VAULT_PASSWORD to the StealthCloud vault password (v2 vaults)',
    );
  });

  it('a restore before any vault exists says so, and creates nothing', async () => {
    const result = await runCli(
      ['restore', join(work, 'nothing'), '--mode', 'stealthcloud', ...account.flags(stateDir()), '--json'],
      { ...account.env, PHOTOSYNC_VAULT_PASSWORD: 'a-separate-vault-passphrase' },
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^photosync: .*vault/i);
    const client = await signedInClient(account);
    expect((await client.vault.getKeys()).keyAttributes ?? null).toBeNull();
  });

  it('creates the vault, shows the recovery words once, uploads ciphertext only; a rerun sends nothing', async () => {
    const first = await backup({ PHOTOSYNC_VAULT_PASSWORD: 'a-separate-vault-passphrase' });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/recovery words[\s\S]*\n\s+(\w+ ){23}\w+\n/);
    const report = jsonOf<BackupReport>(first);
    expect(report).toMatchObject({ mode: 'stealthcloud', filesScanned: 3, filesUploaded: 3, failed: [] });

    const client = await signedInClient(account);
    expect((await client.libraryStats()).count).toBe(0); // nothing in the plain library
    expect((await client.vault.usage()).usedBytes).toBeGreaterThan(0);

    const second = await backup({ PHOTOSYNC_VAULT_PASSWORD: 'a-separate-vault-passphrase' });
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
    expect(jsonOf<BackupReport>(second)).toMatchObject({ filesUploaded: 0, bytesSent: 0, filesHashedFromCache: 3 });
  });

  it('restores into an empty folder byte for byte, folders included; a second restore skips them', async () => {
    const restored = join(work, 'restored');
    const restore = () =>
      runCli(['restore', restored, '--mode', 'stealthcloud', ...account.flags(stateDir()), '--json'], {
        ...account.env,
        PHOTOSYNC_VAULT_PASSWORD: 'a-separate-vault-passphrase',
      });
    const first = await restore();
    expect(first.code).toBe(0);
    expect(jsonOf<RestoreReport>(first)).toMatchObject({ filesRestored: 3, failed: [] });
    for (const path of ['beach.jpg', 'IMG_0001.HEIC', 'videos/clip.mp4'])
      expect(await readFile(join(restored, path))).toEqual(await readFile(join(photos, path)));
    expect(jsonOf<RestoreReport>(await restore())).toMatchObject({ filesRestored: 0, filesSkippedIdentical: 3 });
  });

  it('a wrong vault password is a clear one-line error', async () => {
    const result = await backup({ PHOTOSYNC_VAULT_PASSWORD: 'not-the-vault-passphrase' });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^photosync: .*vault password/i);
  });
});
