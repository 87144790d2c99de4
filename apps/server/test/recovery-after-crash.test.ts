/**
 * Start-up reconciliation after a crash; each case was found by the power-cut run
 * (reliability/faults/power-cut.test.ts):
 * - a vault chunk published without its row (crash between publish and commit) is adopted, so the index
 *   matches the disk and usage counts it; a file that is not the chunk its name says is removed;
 * - a tus creation cut short (bytes file without a record, or a torn record, and no bytes) is removed instead
 *   of lingering invisibly until the idle expiry; a partial upload with a usable record is kept;
 * - a complete tus upload whose storing was cut after it was staged is still stored at the next start (it
 *   used to be moved into staging, which start-up empties, so the upload was gone).
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../src/repositories/account-repository.ts';
import { recoverVaultChunks } from '../src/services/vault/vault-recovery.ts';
import { accountUuid } from './support/library.ts';
import { registerUser, startTestServer, type Session, type TestServer } from './support/test-server.ts';
import { createUpload, patch } from './resumable/tus-support.ts';
import { chunkPath, chunkRows, getChunk, makeChunk, storeChunks, usedBytes } from './support/vault.ts';

describe('start-up reconciliation of vault chunks and tus creations', () => {
  let server: TestServer;
  let session: Session;
  let uuid: string;
  beforeAll(async () => {
    server = await startTestServer();
    session = await registerUser(server.app);
    uuid = await accountUuid(server, session);
  });
  afterAll(async () => server.close());

  const recover = () =>
    recoverVaultChunks({
      accounts: new AccountRepository(server.context.db),
      chunks: server.context.vault.chunkRepository,
      blobs: server.context.vault.blobs,
    });

  it('adopts a chunk file that has no row, and removes one whose bytes are not its id', async () => {
    const indexed = makeChunk(3000);
    await storeChunks(server.app, session, [indexed]);
    const orphan = makeChunk(5000);
    const forged = makeChunk(700);
    const forgedId = makeChunk(700).id; // a name that is not the hash of the bytes
    for (const [id, bytes] of [
      [orphan.id, orphan.bytes],
      [forgedId, forged.bytes],
    ] as const) {
      await mkdir(join(chunkPath(server, uuid, id), '..'), { recursive: true });
      await writeFile(chunkPath(server, uuid, id), bytes);
    }

    const report = await recover();
    expect(report.adopted).toEqual([`${uuid}/${orphan.id.slice(0, 2)}/${orphan.id}`]);
    expect(report.removed).toEqual([`${uuid}/${forgedId.slice(0, 2)}/${forgedId}`]);
    expect([...(await chunkRows(server, session)).keys()].sort()).toEqual([indexed.id, orphan.id].sort());
    expect(await usedBytes(server.app, session)).toBe(3000 + 5000);
    expect((await getChunk(server.app, session, orphan.id)).rawPayload.equals(orphan.bytes)).toBe(true);
    expect(await recover()).toEqual({ adopted: [], removed: [] });
  });

  it('removes tus creations a crash cut short, and keeps a partial upload', async () => {
    const tusDir = join(server.dataDir, 'tus');
    const baseUrl = await server.listen();
    const kept = await createUpload(baseUrl, session, Buffer.alloc(100, 1));
    const keptId = kept.slice(kept.lastIndexOf('/') + 1);
    const noRecord = 'a'.repeat(32);
    const torn = 'b'.repeat(32);
    await writeFile(join(tusDir, noRecord), '');
    await writeFile(join(tusDir, torn), '');
    await writeFile(join(tusDir, `${torn}.json`), '{"id":"bbbb');

    const recovery = await server.context.resumable.recover();
    expect(recovery.discarded.sort()).toEqual([noRecord, torn]);
    expect((await readdir(tusDir)).sort()).toEqual([keptId, `${keptId}.json`].sort());
  });

  it('stores at the next start a complete tus upload whose storing was cut after staging', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'photosync-finish-crash-'));
    let running = await startTestServer({}, dataDir);
    try {
      const user = await registerUser(running.app);
      const bytes = Buffer.from('the whole video, every byte acknowledged');
      const baseUrl = await running.listen();
      const path = await createUpload(baseUrl, user, bytes, 'cut.mov');
      const id = path.slice(path.lastIndexOf('/') + 1);
      // All but the last byte through tus; the last byte lands, and storing gets as far as staging — then a crash.
      expect((await patch(baseUrl, user, path, 0, bytes.subarray(0, -1))).status).toBe(204);
      await writeFile(join(dataDir, 'tus', id), bytes);
      await running.context.blobs.stageFile(join(dataDir, 'tus', id));
      await running.close();

      running = await startTestServer({}, dataDir);
      expect(running.context.resumableRecovery.completed).toMatchObject([{ filename: 'cut.mov', duplicate: false }]);
      const download = await running.app.inject({ url: '/api/files/cut.mov', headers: user.headers });
      expect(download.rawPayload.equals(bytes)).toBe(true);
      expect(await readdir(join(dataDir, 'tus'))).toEqual([]);
    } finally {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
