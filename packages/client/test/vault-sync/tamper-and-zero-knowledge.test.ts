/**
 * What the server can and cannot do to a StealthCloud backup, with a real server on loopback:
 *  - a chunk modified on the server's disk is caught at restore: that file is reported failed and no
 *    plaintext of it is left in the folder, while the other files restore;
 *  - zero knowledge: after a v2 backup, every byte under the server's data dir (files and database, server
 *    closed) is scanned — no window of any plaintext, no file name and not the vault password appears.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openManifestV2 } from '@photosync/crypto';
import { backupToVault, openVault, restoreFromVault } from '../../src/index.ts';
import {
  cipherFootprint,
  listTree,
  makeFixture,
  memoryHashCache,
  plainFolderFiles,
  registerAccount,
  removeDirs,
  restoreFolders,
  startLiveServer,
  tempDir,
  treeDigest,
} from './support.ts';

describe('a chunk tampered with on the server', () => {
  const dirs: string[] = [];
  afterAll(() => removeDirs(...dirs));

  it('fails that file at restore, writes no plaintext of it, and restores the rest', async () => {
    const live = await startLiveServer();
    try {
      const account = await registerAccount(live.baseUrl);
      const { vault } = await openVault({ client: account.client, password: 'tamper vault pass' });
      const source = await tempDir('tamper-source');
      const target = await tempDir('tamper-target');
      dirs.push(source, target);
      await makeFixture(source);
      const backup = await backupToVault({
        client: account.client,
        vault,
        files: plainFolderFiles(),
        hashCache: memoryHashCache(),
        roots: [source],
      });
      expect(backup.failed).toEqual([]);

      // Find the big file's second chunk through its (client-side opened) manifest, then flip one byte of it.
      let chunkId: string | undefined;
      for (const { manifestId } of (await account.client.vault.listManifests()).manifests) {
        const manifest = await openManifestV2(vault.masterKey, await account.client.vault.getManifest(manifestId));
        if (manifest.filename === 'trips/2021/multi-chunk.mov') chunkId = manifest.chunkIds[1];
      }
      const chunkPath = [...(await listTree(join(live.server.dataDir, 'vault'))).values()].find(
        (path) => basename(path) === chunkId,
      );
      expect(chunkPath).toBeDefined();
      const bytes = await readFile(chunkPath as string);
      bytes[1000] = (bytes[1000] as number) ^ 0x01;
      await writeFile(chunkPath as string, bytes);

      const report = await restoreFromVault({ client: account.client, vault, target: restoreFolders(target) });
      expect(report.filesRestored).toBe(5);
      expect(report.failed).toHaveLength(1);
      expect(report.failed[0]?.path).toBe('trips/2021/multi-chunk.mov');
      expect(report.failed[0]?.error).toMatch(/Chunk 1 failed verification/);
      const restored = await treeDigest(target); // hidden temporary files included
      const expected = await treeDigest(source);
      expected.delete('trips/2021/multi-chunk.mov');
      expect(restored).toEqual(expected);
    } finally {
      await live.server.close();
    }
  });
});

describe('zero knowledge', () => {
  const token = randomUUID().slice(0, 8);
  const password = `vault-password-${randomUUID()}`;
  const names = {
    empty: `zk-${token}-empty.jpg`,
    oneByte: `zk-${token}-one.png`,
    exact: `zk-${token}-exact.heic`,
    plusOne: `zk-${token}-plus-one.mp4`,
    multi: `zk-${token}-trip/zk-${token}-multi.mov`,
    jpeg: `zk-${token}-camera/zk-${token}-real.jpg`,
  };
  let dataDir: string;
  let source: string;

  beforeAll(async () => {
    dataDir = await tempDir('zk-data');
    source = await tempDir('zk-source');
    await makeFixture(source, names);
  });

  afterAll(() => removeDirs(dataDir, source));

  it('leaves no plaintext window, file name or vault password anywhere in the server data dir', async () => {
    const live = await startLiveServer(dataDir);
    try {
      const account = await registerAccount(live.baseUrl);
      const { vault } = await openVault({ client: account.client, password });
      const report = await backupToVault({
        client: account.client,
        vault,
        files: plainFolderFiles(),
        hashCache: memoryHashCache(),
        roots: [source],
      });
      expect(report).toMatchObject({ filesUploaded: 6, failed: [] });
    } finally {
      await live.server.close(); // flushes the database; the data dir stays (we passed it in)
    }

    const needles = new Map<string, Buffer>([['the vault password', Buffer.from(password)]]);
    needles.set('the name token', Buffer.from(token));
    for (const [relativePath, path] of await listTree(source)) {
      needles.set(`name ${relativePath}`, Buffer.from(relativePath));
      needles.set(`name ${basename(relativePath)}`, Buffer.from(basename(relativePath)));
      const content = await readFile(path);
      if (content.length < 64) continue;
      for (const at of [0, Math.floor(content.length / 2), content.length - 32]) {
        needles.set(`32 bytes at ${at} of ${relativePath}`, content.subarray(at, at + 32));
      }
    }

    const stored = await listTree(dataDir);
    let scannedBytes = 0;
    const found: string[] = [];
    for (const [storedName, path] of stored) {
      const haystack = await readFile(path);
      scannedBytes += haystack.length;
      for (const [what, needle] of needles) if (haystack.includes(needle)) found.push(`${what} in ${storedName}`);
    }
    expect(found).toEqual([]);
    // The scan really covered the ciphertext (and a database): it could have found something.
    const sizes = await Promise.all([...(await listTree(source)).values()].map(async (p) => (await stat(p)).size));
    expect(scannedBytes).toBeGreaterThan(cipherFootprint(sizes).bytes);
    expect([...stored.keys()].some((name) => name.startsWith('vault/'))).toBe(true);
    expect(needles.size).toBeGreaterThan(20);
  });
});
