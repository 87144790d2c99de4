/**
 * A chunk whose row the database refuses (another process held the write lock past the busy timeout) is not
 * stored: its published file is taken back, and the answer is 503 SERVER_BUSY with Retry-After. Found by
 * reliability/faults/database-busy.test.ts: the file used to stay on disk without a row.
 */
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapError } from '../../src/http/error-handler.ts';
import type { VaultChunkRepository } from '../../src/repositories/vault-chunk-repository.ts';
import { ChunkStore } from '../../src/services/vault/chunk-store.ts';
import { accountUuid } from '../support/library.ts';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import { chunkPath, makeChunk } from '../support/vault.ts';

class BusyError extends Error {
  readonly code = 'SQLITE_BUSY';
}

describe('a chunk upload the database refuses', () => {
  let server: TestServer;
  let session: Session;
  beforeAll(async () => {
    server = await startTestServer();
    session = await registerUser(server.app);
  });
  afterAll(async () => server.close());

  it('takes the published file back and answers 503 SERVER_BUSY', async () => {
    const real = server.context.vault.chunkRepository;
    const busy = Object.assign(Object.create(real) as VaultChunkRepository, {
      insertWithinQuota: () => Promise.reject(new BusyError('database is locked')),
    });
    const store = new ChunkStore({ chunks: busy, blobs: server.context.vault.blobs });
    const uuid = await accountUuid(server, session);
    const chunk = makeChunk(4096);
    const who = { accountId: session.userId, accountUuid: uuid } as Parameters<ChunkStore['put']>[0];

    const failure: unknown = await store
      .put(who, chunk.id, Readable.from([chunk.bytes]), chunk.bytes.length)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BusyError);
    expect(existsSync(chunkPath(server, uuid, chunk.id)), 'no file without a row').toBe(false);
    expect(mapError(failure)).toEqual({
      status: 503,
      body: { error: expect.stringMatching(/nothing was stored/) as unknown, code: 'SERVER_BUSY' },
      headers: { 'retry-after': '5' },
    });
  });
});
