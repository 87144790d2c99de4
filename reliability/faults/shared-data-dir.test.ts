/**
 * Two server processes on one data directory (regression for [Note: staging owners]): a server that starts
 * while another one is receiving uploads must not remove that one's staging files, so both uploads still
 * complete byte-exact; and the leftovers of a process that was killed are reclaimed by the next start.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { recordResult } from '../support/results.ts';
import { reconnect, signUp, startServer, tempDirs, type Account } from '../support/server.ts';
import { openRequest, sealedChunk, sha256 } from '../support/uploads.ts';
import { TEST_TIMEOUT_MS } from '../support/scale.ts';

const staging = (dataDir: string, store: string): Promise<string[]> =>
  readdir(join(dataDir, store, '.incoming')).catch(() => []);

describe('two server processes on one data directory', { timeout: TEST_TIMEOUT_MS }, () => {
  const dirs = tempDirs();
  afterAll(() => dirs.removeAll());

  it("a second server starting does not remove the first one's uploads in flight", async () => {
    const dataDir = await dirs.make('shared');
    const first = await startServer(dataDir);
    const account: Account = await signUp(first.url, 'shared@example.com');
    const photo = randomBytes(3 * 2 ** 20);
    const chunk = await sealedChunk(2 * 2 ** 20);
    const half = (bytes: Buffer): number => Math.floor(bytes.length / 2);
    const upload = openRequest(
      first.url,
      'POST',
      '/api/upload/raw',
      { ...account.headers, 'x-filename': 'in-flight.jpg', 'content-length': photo.length },
      photo.subarray(0, half(photo)),
    );
    const chunkUpload = openRequest(
      first.url,
      'POST',
      '/api/cloud/chunks',
      { ...account.headers, 'x-chunk-id': chunk.id, 'content-length': chunk.bytes.length },
      chunk.bytes.subarray(0, half(chunk.bytes)),
    );
    await vi.waitFor(async () => {
      expect(await staging(dataDir, 'uploads')).toHaveLength(1);
      expect(await staging(dataDir, 'vault')).toHaveLength(1);
    });

    const second = await startServer(dataDir);
    expect(await staging(dataDir, 'uploads'), 'the first server’s staging file survived').toHaveLength(1);
    expect(await staging(dataDir, 'vault')).toHaveLength(1);
    upload.req.end(photo.subarray(half(photo)));
    chunkUpload.req.end(chunk.bytes.subarray(half(chunk.bytes)));
    expect((await upload.answer).status).toBe(200);
    expect((await chunkUpload.answer).status).toBe(200);

    const viaSecond = reconnect(account, second.url);
    const stored = Buffer.from(await (await viaSecond.client.download('in-flight.jpg')).arrayBuffer());
    expect(sha256(stored)).toBe(sha256(photo));
    expect(sha256(Buffer.from(await viaSecond.client.vault.getChunk(chunk.id)))).toBe(chunk.id);

    // Now the first server dies mid-upload: its leftover is reclaimed by the next start, not by the survivor.
    const doomed = openRequest(
      first.url,
      'POST',
      '/api/upload/raw',
      { ...account.headers, 'x-filename': 'cut.jpg', 'content-length': photo.length },
      photo.subarray(0, half(photo)),
    );
    doomed.answer.catch(() => undefined);
    await vi.waitFor(async () => expect(await staging(dataDir, 'uploads')).toHaveLength(1));
    await first.kill('SIGKILL');
    const third = await startServer(dataDir);
    expect(await staging(dataDir, 'uploads'), 'the dead server’s leftover is reclaimed').toEqual([]);
    expect((await viaSecond.client.listFiles()).files.map((file) => file.filename)).toEqual(['in-flight.jpg']);
    recordResult({
      test: 'two servers on one data directory',
      faults: 2,
      verified: 2,
      lost: 0,
      notes: 'a second start keeps the first server’s uploads in flight; a killed server’s leftovers reclaimed',
    });
    expect(await third.kill('SIGTERM')).toBe(0);
    expect(await second.kill('SIGTERM')).toBe(0);
  });
});
