/**
 * StealthCloud v2 end to end against a real server on loopback: create the vault (recovery words once), back up
 * a folder with every chunking edge case and a real JPEG, restore it byte-identical, back up again (nothing
 * sent), restore again (nothing written), keep a different local file, restore on a new device with the
 * password alone, restore a date range, and refuse a wrong or reused password.
 */
import { stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeVersion, unlockWithRecoveryWords, parseKeyAttributes } from '@photosync/crypto';
import {
  backupToVault,
  openVault,
  restoreFromVault,
  VaultPasswordIsLoginPassword,
  WrongVaultPassword,
  type SyncProgress,
  type VaultKey,
} from '../../src/index.ts';
import { FileHashCache } from '../../src/node/hash-cache.ts';
import {
  cipherFootprint,
  listTree,
  loginNewDevice,
  makeFixture,
  plainFolderFiles,
  registerAccount,
  removeDirs,
  resetWire,
  restoreFolders,
  fileDigest,
  startLiveServer,
  tempDir,
  treeDigest,
  writeBytes,
  type Account,
  type LiveServer,
} from './support.ts';

const VAULT_PASSWORD = 'vault only passphrase 7';

describe('StealthCloud v2 backup and restore', () => {
  let live: LiveServer;
  let account: Account;
  let vault: VaultKey;
  let recoveryWords: readonly string[] | undefined;
  let source: string;
  let stateDir: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    live = await startLiveServer();
    account = await registerAccount(live.baseUrl);
    source = await tempDir('source');
    stateDir = await tempDir('state');
    dirs.push(source, stateDir);
    await makeFixture(source);
    // Distinct dates for the date-range restore: 2020 for the JPEG, 2021 for the big file, 2022 for the rest.
    for (const [name, path] of await listTree(source)) {
      const year = name.endsWith('.jpg') && name.startsWith('camera') ? 2020 : name.includes('2021') ? 2021 : 2022;
      const at = new Date(`${year}-06-15T12:00:00Z`);
      await utimes(path, at, at);
    }
  });

  afterAll(async () => {
    await live.server.close();
    await removeDirs(...dirs);
  });

  it('creates the vault on first use and returns recovery words that unlock it', async () => {
    const opened = await openVault({ client: account.client, password: VAULT_PASSWORD });
    expect(opened.created).toBe(true);
    expect(opened.vault.format).toBe('v2');
    expect(opened.recoveryWords).toHaveLength(24);
    vault = opened.vault;
    recoveryWords = opened.recoveryWords;

    const stored = await account.client.vault.getKeys();
    const byWords = await unlockWithRecoveryWords(parseKeyAttributes(stored.keyAttributes), recoveryWords ?? []);
    expect(Buffer.from(byWords).equals(Buffer.from(vault.masterKey))).toBe(true);

    const again = await openVault({ client: account.client, password: VAULT_PASSWORD });
    expect(again.created).toBe(false);
    expect(again.recoveryWords).toBeUndefined();
    expect(Buffer.from(again.vault.masterKey).equals(Buffer.from(vault.masterKey))).toBe(true);
  });

  it('backs up every file, sends exactly the ciphertext, and stores v2 manifests with declared chunk ids', async () => {
    const paths = [...(await listTree(source)).values()];
    const footprint = cipherFootprint(await Promise.all(paths.map(async (path) => (await stat(path)).size)));
    const events: SyncProgress[] = [];
    const hashCache = await FileHashCache.open(stateDir);
    const report = await backupToVault({
      client: account.client,
      vault,
      files: plainFolderFiles(),
      hashCache,
      roots: [source],
      onProgress: (event) => events.push(event),
    });
    expect(report.failed).toEqual([]);
    expect(report).toMatchObject({ mode: 'stealthcloud', filesScanned: 6, filesUploaded: 6, filesAlreadyStored: 0 });
    expect(report.chunksUploaded).toBe(footprint.chunks);
    expect(report.chunkBytesSent).toBe(footprint.bytes);
    expect(account.wire.chunkBytes).toBe(footprint.bytes); // counted independently, on the wire
    expect(report.bytesSent).toBeGreaterThan(report.chunkBytesSent); // + the sealed manifests

    const upload = events.filter((event) => event.phase === 'upload');
    expect(upload.at(-1)).toMatchObject({ filesDone: 6, filesTotal: 6 });
    expect(events.at(-1)?.phase).toBe('done');

    const list = await account.client.vault.listManifests();
    expect(list.total).toBe(6);
    for (const { manifestId } of list.manifests) {
      const stored = await account.client.vault.getManifest(manifestId);
      expect(envelopeVersion(stored.encryptedManifest)).toBe(2);
    }
  });

  it('restores into an empty folder byte-identical, folders included', async () => {
    const target = await tempDir('restore');
    dirs.push(target);
    const report = await restoreFromVault({ client: account.client, vault, target: restoreFolders(target) });
    expect(report.failed).toEqual([]);
    expect(report).toMatchObject({ filesRestored: 6, filesSkippedIdentical: 0, filesRenamed: 0 });
    expect(await treeDigest(target)).toEqual(await treeDigest(source));

    const again = await restoreFromVault({ client: account.client, vault, target: restoreFolders(target) });
    expect(again).toMatchObject({ filesRestored: 0, filesSkippedIdentical: 6, bytesWritten: 0, failed: [] });
  });

  it('a second backup run of the unchanged folder uploads nothing and re-hashes nothing', async () => {
    resetWire(account);
    const report = await backupToVault({
      client: account.client,
      vault,
      files: plainFolderFiles(),
      hashCache: await FileHashCache.open(stateDir), // reloaded from disk: what the next process sees
      roots: [source],
    });
    expect(report).toMatchObject({ filesAlreadyStored: 6, filesUploaded: 0, filesHashedFromCache: 6 });
    expect(report.bytesSent).toBe(0);
    expect(report.chunkBytesSent).toBe(0);
    expect(account.wire.chunkPosts).toBe(0);
  });

  it('never overwrites a different local file: the restored one gets " (1)"', async () => {
    const target = await tempDir('clash');
    dirs.push(target);
    await writeBytes(join(target, 'camera', 'real.jpg'), Buffer.from('my own, different file'));
    const mine = await fileDigest(join(target, 'camera', 'real.jpg'));
    const report = await restoreFromVault({ client: account.client, vault, target: restoreFolders(target) });
    expect(report).toMatchObject({ filesRestored: 6, filesRenamed: 1, failed: [] });
    const restored = await treeDigest(target);
    expect(restored.get('camera/real.jpg')).toEqual(mine);
    expect(restored.get('camera/real (1).jpg')).toEqual((await treeDigest(source)).get('camera/real.jpg'));
  });

  it('restores a date range only (by the recorded modification time)', async () => {
    const target = await tempDir('range');
    dirs.push(target);
    const report = await restoreFromVault({
      client: account.client,
      vault,
      target: restoreFolders(target),
      from: new Date('2021-01-01T00:00:00Z'),
      to: new Date('2021-12-31T23:59:59Z'),
    });
    expect(report).toMatchObject({ filesRestored: 1, failed: [] });
    expect([...(await listTree(target)).keys()]).toEqual(['trips/2021/multi-chunk.mov']);
  });

  it('a new device restores everything with the vault password alone', async () => {
    const device = await loginNewDevice(live.baseUrl, account.email, account.password);
    const opened = await openVault({ client: device.client, password: VAULT_PASSWORD });
    expect(opened).toMatchObject({ created: false, recoveryWords: undefined });
    const target = await tempDir('new-device');
    dirs.push(target);
    const report = await restoreFromVault({
      client: device.client,
      vault: opened.vault,
      target: restoreFolders(target),
    });
    expect(report).toMatchObject({ filesRestored: 6, failed: [] });
    expect(await treeDigest(target)).toEqual(await treeDigest(source));
  });

  it('a wrong vault password is a typed error with a clear message', async () => {
    const attempt = openVault({ client: account.client, password: 'not the vault password' });
    await expect(attempt).rejects.toBeInstanceOf(WrongVaultPassword);
    await expect(attempt).rejects.toThrow(/Wrong vault password.*recovery words/s);
  });

  it('refuses the login password as vault password before anything reaches the server', async () => {
    const other = await registerAccount(live.baseUrl, 'shared-secret-99');
    const attempt = openVault({ client: other.client, password: 'shared-secret-99', loginPassword: other.password });
    await expect(attempt).rejects.toBeInstanceOf(VaultPasswordIsLoginPassword);
    await expect(attempt).rejects.toThrow(/must differ from the account \(login\) password/);
    expect((await other.client.vault.getKeys()).keyAttributes).toBeNull();
  });

  it('writes a locally modified file as a new version on the next backup', async () => {
    const path = join(source, 'one-byte.png');
    await writeFile(path, Buffer.from('now more than one byte'));
    resetWire(account);
    const report = await backupToVault({
      client: account.client,
      vault,
      files: plainFolderFiles(),
      hashCache: await FileHashCache.open(stateDir),
      roots: [source],
    });
    expect(report).toMatchObject({ filesUploaded: 1, filesAlreadyStored: 5, failed: [] });
    expect(account.wire.chunkPosts).toBe(1);
    expect((await account.client.vault.listManifests()).total).toBe(7);
  });
});
