/**
 * StealthCloud format v1 (what existing phones write) end to end against a real server: back up with the
 * PBKDF2 key of email + account password, restore byte-identical together with a file a "phone" stored via
 * the crypto package's own v1 encryptor, skip everything on a second run, and refuse a wrong password once
 * v1 files exist. A v2 vault on the same account reports the v1 files instead of guessing.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveMasterKeyV1, encryptFileV1, envelopeVersion, manifestIdV1Hex } from '@photosync/crypto';
import {
  backupToVault,
  openVault,
  OtherVaultFormat,
  restoreFromVault,
  WrongVaultPassword,
  type VaultKey,
} from '../../src/index.ts';
import {
  bytesDigest,
  cipherFootprint,
  listTree,
  makeFixture,
  memoryHashCache,
  plainFolderFiles,
  registerAccount,
  removeDirs,
  resetWire,
  restoreFolders,
  startLiveServer,
  tempDir,
  treeDigest,
  type Account,
  type LiveServer,
} from './support.ts';

describe('StealthCloud v1 backup and restore', () => {
  let live: LiveServer;
  let account: Account;
  let vault: VaultKey;
  let source: string;
  const hashCache = memoryHashCache();
  const dirs: string[] = [];

  beforeAll(async () => {
    live = await startLiveServer();
    account = await registerAccount(live.baseUrl);
    source = await tempDir('v1-source');
    dirs.push(source);
    await makeFixture(source);
    ({ vault } = await openVault({
      client: account.client,
      format: 'v1',
      email: account.email,
      password: account.password,
    }));
  });

  afterAll(async () => {
    await live.server.close();
    await removeDirs(...dirs);
  });

  it('backs up with v1 envelopes under the name+size ids phones use', async () => {
    const tree = await listTree(source);
    const footprint = cipherFootprint(await Promise.all([...tree.values()].map(async (p) => (await stat(p)).size)));
    const report = await backupToVault({
      client: account.client,
      vault,
      files: plainFolderFiles(),
      hashCache,
      roots: [source],
    });
    expect(report).toMatchObject({ filesUploaded: 6, failed: [], chunksUploaded: footprint.chunks });
    expect(report.chunkBytesSent).toBe(footprint.bytes);
    expect(account.wire.chunkBytes).toBe(footprint.bytes);

    const expectedIds = await Promise.all(
      [...tree].map(async ([name, path]) => manifestIdV1Hex(name, (await stat(path)).size)),
    );
    const list = await account.client.vault.listManifests();
    expect(list.manifests.map((m) => m.manifestId).sort()).toEqual(expectedIds.sort());
    for (const { manifestId } of list.manifests) {
      expect(envelopeVersion((await account.client.vault.getManifest(manifestId)).encryptedManifest)).toBe(1);
    }
  });

  it("restores our files and a phone's v1 file byte-identical", async () => {
    // A phone's upload, made by the crypto package's own v1 encryptor with the phone's key derivation.
    const phoneBytes = randomBytes(3 * 1024 * 1024 + 17);
    const phoneKey = await deriveMasterKeyV1(account.email, account.password);
    for await (const part of encryptFileV1(phoneKey, { filename: 'IMG_0001.JPG', mediaType: 'photo' }, [phoneBytes])) {
      if (part.kind === 'chunk') await account.client.vault.putChunk(part.chunkId, part.ciphertext);
      else await account.client.vault.putManifest(part);
    }

    const target = await tempDir('v1-restore');
    dirs.push(target);
    const report = await restoreFromVault({ client: account.client, vault, target: restoreFolders(target) });
    expect(report).toMatchObject({ filesRestored: 7, failed: [] });
    const restored = await treeDigest(target);
    expect(restored.get('IMG_0001.JPG')).toBe(bytesDigest(phoneBytes));
    restored.delete('IMG_0001.JPG');
    expect(restored).toEqual(await treeDigest(source));
  });

  it('a second run skips every file by its v1 id and sends nothing', async () => {
    resetWire(account);
    const report = await backupToVault({
      client: account.client,
      vault,
      files: plainFolderFiles(),
      hashCache,
      roots: [source],
    });
    expect(report).toMatchObject({ filesAlreadyStored: 6, filesUploaded: 0, bytesSent: 0, failed: [] });
    expect(account.wire.chunkPosts).toBe(0);
  });

  it('a wrong password is refused once v1 files exist', async () => {
    const attempt = openVault({ client: account.client, format: 'v1', email: account.email, password: 'wrong-pass' });
    await expect(attempt).rejects.toBeInstanceOf(WrongVaultPassword);
    await expect(attempt).rejects.toThrow(/Format v1 uses the account password/);
  });

  it('a v2 restore on the same account lists the v1 files as another format and writes nothing', async () => {
    const { vault: v2 } = await openVault({ client: account.client, password: 'separate vault pass' });
    const target = await tempDir('v1-as-v2');
    dirs.push(target);
    const report = await restoreFromVault({ client: account.client, vault: v2, target: restoreFolders(target) });
    expect(report.filesRestored).toBe(0);
    expect(report.failed).toHaveLength(7);
    expect(report.failed[0]?.error).toBe(new OtherVaultFormat('v1').message);
    expect((await listTree(target)).size).toBe(0);
  });
});
