/**
 * Resuming StealthCloud uploads, against a real server: a run that loses the connection part-way leaves some
 * chunks stored; the next run (a new process: the journal is re-read from disk) re-creates the same
 * ciphertext, asks the server which chunks it has and uploads only the missing ones — counted on the wire.
 * And the guard behind it: when the bytes changed but the cached hash did not, the journal's key is never
 * used to send a different chunk (that would show the server the XOR of two plaintexts).
 */
import { randomBytes } from 'node:crypto';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupToVault, FileChangedDuringBackup, openVault, restoreFromVault } from '../../src/index.ts';
import { nodeUploadJournal } from '../../src/vault-sync/node-upload-journal.ts';
import {
  bytesDigest,
  cipherFootprint,
  memoryHashCache,
  MiB,
  plainFolderFiles,
  registerAccount,
  removeDirs,
  resetWire,
  restoreFolders,
  startLiveServer,
  tempDir,
  treeDigest,
  type LiveServer,
} from './support.ts';

const NO_RETRY = { retries: 0 };
/** Five chunks: four full ones and five bytes. */
const BIG = 8 * MiB + 5;

describe('resuming a StealthCloud upload', () => {
  let live: LiveServer;
  const dirs: string[] = [];

  beforeAll(async () => {
    live = await startLiveServer();
  });

  afterAll(async () => {
    await live.server.close();
    await removeDirs(...dirs);
  });

  async function setUp(label: string) {
    const account = await registerAccount(live.baseUrl);
    const { vault } = await openVault({ client: account.client, password: 'resume vault pass' });
    const source = await tempDir(`${label}-source`);
    const stateDir = await tempDir(`${label}-state`);
    dirs.push(source, stateDir);
    const path = join(source, 'long-video.mp4');
    await writeFile(path, randomBytes(BIG));
    const journalPath = join(stateDir, 'vault-upload-journal.json');
    return { account, vault, source, path, journalPath };
  }

  it('uploads only the chunks a broken run did not store', async () => {
    const { account, vault, source, path, journalPath } = await setUp('partial');
    const hashCache = memoryHashCache();
    const run = async (retry = {}) =>
      backupToVault({
        client: account.client,
        vault,
        files: plainFolderFiles(),
        hashCache,
        roots: [source],
        journal: await nodeUploadJournal(journalPath), // re-read from disk, as a new process would
        retry,
      });

    account.breakChunk = (attempt) => attempt >= 2; // the connection drops after two chunk uploads
    await expect(run(NO_RETRY)).rejects.toThrow(/fetch failed/);
    const firstRun = { ids: [...account.wire.storedChunkIds], bytes: account.wire.storedBytes };
    expect(firstRun.ids).toHaveLength(2);
    expect((await account.client.vault.listManifests()).total).toBe(0);

    account.breakChunk = undefined;
    resetWire(account);
    const report = await run();
    const total = cipherFootprint([BIG]);
    expect(report).toMatchObject({ filesUploaded: 1, filesResumed: 1, chunksAlreadyStored: 2, failed: [] });
    expect(report.chunksUploaded).toBe(total.chunks - 2);
    expect(report.chunkBytesSent).toBe(total.bytes - firstRun.bytes);
    expect(account.wire.chunkBytes).toBe(total.bytes - firstRun.bytes);
    expect(account.wire.storedChunkIds.filter((id) => firstRun.ids.includes(id))).toEqual([]);

    expect((await nodeUploadJournal(journalPath)).get(path)).toBeUndefined(); // done: forgotten
    const target = await tempDir('partial-restore');
    dirs.push(target);
    expect(await restoreFromVault({ client: account.client, vault, target: restoreFolders(target) })).toMatchObject({
      filesRestored: 1,
      failed: [],
    });
    expect(await treeDigest(target)).toEqual(await treeDigest(source));
  });

  it('never reuses a key for changed bytes, even when size, mtime and cached hash still match', async () => {
    const { account, vault, source, path, journalPath } = await setUp('changed');
    const hashCache = memoryHashCache();
    const run = async (retry = {}) =>
      backupToVault({
        client: account.client,
        vault,
        files: plainFolderFiles(),
        hashCache,
        roots: [source],
        journal: await nodeUploadJournal(journalPath),
        retry,
      });

    const mtime = 1_700_000_000; // whole seconds, so setting it again gives the very same mtimeMs
    await utimes(path, mtime, mtime);
    account.breakChunk = (attempt) => attempt >= 2;
    await expect(run(NO_RETRY)).rejects.toThrow(/fetch failed/);
    account.breakChunk = undefined;

    // Same size and modification time, other bytes: the hash cache cannot notice.
    const replaced = randomBytes(BIG);
    await writeFile(path, replaced);
    await utimes(path, mtime, mtime);

    resetWire(account);
    const refused = await run();
    expect(refused.failed).toEqual([{ path, error: new FileChangedDuringBackup().message }]);
    expect(account.wire.chunkPosts).toBe(0); // not one chunk sent under the old key
    expect((await nodeUploadJournal(journalPath)).get(path)).toBeUndefined(); // the old key is gone

    resetWire(account);
    const fresh = await run();
    expect(fresh).toMatchObject({ filesUploaded: 1, filesResumed: 0, failed: [] });
    expect(account.wire.chunkBytes).toBe(cipherFootprint([BIG]).bytes);

    const target = await tempDir('changed-restore');
    dirs.push(target);
    await restoreFromVault({ client: account.client, vault, target: restoreFolders(target) });
    expect(await treeDigest(target)).toEqual(new Map([['long-video.mp4', bytesDigest(replaced)]]));
  });
});
