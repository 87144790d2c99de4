/**
 * Regression: two server processes on one data directory. Process A has published an upload and is about to
 * commit its index row when process B starts, finds the file without a row and indexes it (start-up
 * recovery). A's insert then fails on the UNIQUE constraint. A used to take the published file back — the
 * very file B's row now names — leaving a row without a file and telling the client "duplicate". The upload
 * must instead be reported stored, with its file and its one row intact. The interleaving is forced with a
 * BlobStore that runs B's recovery right after A's publish.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore, StagedBlob } from '@photosync/storage';
import { AccountRepository } from '../src/repositories/account-repository.ts';
import { AssetRepository } from '../src/repositories/asset-repository.ts';
import { recoverLibrary, type RecoveryReport } from '../src/services/library/library-recovery.ts';
import { LibraryService } from '../src/services/library/library-service.ts';
import { accountUuid, indexRows } from './support/library.ts';
import { registerUser, startTestServer, type Session, type TestServer } from './support/test-server.ts';

/** The server's real store, except that every publish is followed at once by another process's recovery. */
function storeWithRecoveryAfterPublish(server: TestServer, reports: RecoveryReport[]): BlobStore {
  const real = server.context.blobs;
  const recover = async (): Promise<void> => {
    reports.push(
      await recoverLibrary({
        accounts: new AccountRepository(server.context.db),
        assets: new AssetRepository(server.context.db),
        blobs: real,
        accountService: server.context.accounts,
      }),
    );
  };
  return Object.assign(Object.create(real) as BlobStore, {
    commit: async (staged: StagedBlob, key: string) => {
      await real.commit(staged, key);
      await recover();
    },
  });
}

describe('an upload whose published file another process indexed first', () => {
  let server: TestServer;
  let session: Session;
  beforeAll(async () => {
    server = await startTestServer();
    session = await registerUser(server.app);
  });
  afterAll(async () => server.close());

  it('is reported stored, and its file and single row stay', async () => {
    const reports: RecoveryReport[] = [];
    const library = new LibraryService({
      assets: new AssetRepository(server.context.db),
      blobs: storeWithRecoveryAfterPublish(server, reports),
      maxUploadBytes: 1024 * 1024,
    });
    const uuid = await accountUuid(server, session);
    const bytes = Buffer.from('a photo that two processes saw at once');
    const result = await library.upload(
      { accountId: session.userId, accountUuid: uuid },
      {
        filename: 'race.jpg',
        mediaType: 'image/jpeg',
        body: Readable.from([bytes]),
        expectedSha256: undefined,
        deviceId: null,
      },
    );

    expect(reports[0]?.indexed, 'the other process did index the file first').toEqual([`${uuid}/race.jpg`]);
    expect(result).toMatchObject({ filename: 'race.jpg', duplicate: false, size: bytes.length });
    const stored = await readFile(join(server.dataDir, 'uploads', uuid, 'race.jpg'));
    expect(stored.equals(bytes)).toBe(true);
    expect(await indexRows(server, session)).toEqual([
      {
        filename: 'race.jpg',
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
        mime: 'image/jpeg',
      },
    ]);
  });
});
