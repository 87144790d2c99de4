/**
 * A locked, busy SQLite: two server processes write to one data directory while a third process holds a
 * write transaction (`BEGIN IMMEDIATE`) on backup.db — first for less than the servers' busy timeout (every
 * upload must then succeed once the lock is gone), then for longer (an upload may fail, but only with a clean
 * 5xx JSON answer, and then nothing of it is stored). No acknowledged upload is ever lost, and afterwards the
 * index matches the disk exactly: every file and chunk on disk is one that was acknowledged.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDiskState, type StoredFile } from '../support/disk-state.ts';
import { recordResult } from '../support/results.ts';
import { figures, TEST_TIMEOUT_MS } from '../support/scale.ts';
import { reconnect, signUp, startServer, tempDirs, type Account } from '../support/server.ts';
import { jsonOf, putChunk, rawUpload, sealedChunk, sha256, type HttpResult } from '../support/uploads.ts';

const BUSY_TIMEOUT_MS = 10_000; // apps/server/src/db/database.ts

/** Another process takes the write lock; resolves once it holds it, with a promise of its end. */
async function holdWriteLock(dbPath: string, ms: number): Promise<{ released: Promise<void> }> {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.pragma('busy_timeout = 30000');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("UPDATE accounts SET hardware_device_id = hardware_device_id WHERE id = -1").run();
    console.log('locked');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, dbPath, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const released = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited with ${code}`)))),
  );
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return { released };
}

interface Outcome {
  acknowledged: number;
  refused: number;
}

/**
 * Uploads, half through each server, while the lock is held; records what was acknowledged. `isChunk(i)` says
 * which are vault chunks and which plain files.
 */
async function uploadDuringLock(
  accounts: readonly Account[],
  urls: readonly string[],
  count: number,
  acked: { files: Map<string, string>; chunks: Set<string> },
  isChunk: (i: number) => boolean,
): Promise<Outcome> {
  const outcome: Outcome = { acknowledged: 0, refused: 0 };
  const check = (result: HttpResult): boolean => {
    if (result.status === 200) return true;
    expect(result.status, result.body.toString()).toBe(503);
    expect(result.headers['content-type']).toMatch(/^application\/json/);
    expect(result.headers['retry-after']).toBeDefined();
    expect(jsonOf(result)).toMatchObject({ code: 'SERVER_BUSY' });
    expect(String(jsonOf(result)?.['error'])).toMatch(/nothing was stored/);
    outcome.refused += 1;
    return false;
  };
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const account = accounts[i % 2] as Account;
      const url = urls[i % 2] as string;
      if (isChunk(i)) {
        const chunk = await sealedChunk(64 * 1024 + i);
        if (check(await putChunk(url, account, chunk.bytes))) acked.chunks.add(chunk.id);
      } else {
        const bytes = randomBytes(100_000 + i);
        const result = await rawUpload(url, account, `locked-${i}.jpg`, bytes);
        if (check(result)) acked.files.set(String(jsonOf(result)?.['filename']), sha256(bytes));
      }
    }),
  );
  outcome.acknowledged = count - outcome.refused;
  return outcome;
}

describe('a locked, busy database', { timeout: TEST_TIMEOUT_MS }, () => {
  const dirs = tempDirs();
  afterAll(() => dirs.removeAll());
  const { uploadsDuringLock } = figures.database;

  it('loses no acknowledged upload and stores nothing of a refused one', async () => {
    const dataDir = await dirs.make('db-busy');
    const first = await startServer(dataDir);
    const second = await startServer(dataDir);
    const account = await signUp(first.url, 'busy@example.com');
    const accounts = [account, reconnect(account, second.url)];
    const urls = [first.url, second.url];
    const acked = { files: new Map<string, string>(), chunks: new Set<string>() };

    const short = await holdWriteLock(join(dataDir, 'backup.db'), figures.database.lockMs);
    const duringShort = await uploadDuringLock(accounts, urls, uploadsDuringLock, acked, (i) => i % 3 === 2);
    await short.released;
    expect(duringShort.refused, 'a lock shorter than the busy timeout only delays writes').toBe(0);

    // Longer than the busy timeout: each server's first write waits it out and is refused — the first server
    // gets chunks only and the second plain files only, so that both kinds meet a refusal.
    const long = await holdWriteLock(join(dataDir, 'backup.db'), BUSY_TIMEOUT_MS + 2_000);
    const duringLong = await uploadDuringLock(accounts, urls, uploadsDuringLock, acked, (i) => i % 2 === 0);
    await long.released;
    expect(duringLong.refused, 'a lock past the busy timeout refuses the writes that waited it out').toBeGreaterThan(0);

    const state = await readDiskState(dataDir);
    expect(state.problems).toEqual([]);
    const files = state.library.get(account.uuid) ?? new Map<string, StoredFile>();
    expect(new Map([...files].map(([name, file]) => [name, file.sha256]))).toEqual(acked.files);
    expect(state.chunks.get(account.uuid) ?? new Set()).toEqual(acked.chunks);
    recordResult({
      test: 'locked database (2 servers + BEGIN IMMEDIATE)',
      faults: 2,
      verified: acked.files.size + acked.chunks.size,
      lost: 0,
      notes:
        `lock of ${figures.database.lockMs / 1000} s: ${duringShort.acknowledged}/${uploadsDuringLock} stored; ` +
        `lock of ${(BUSY_TIMEOUT_MS + 2_000) / 1000} s: ${duringLong.acknowledged} stored, ` +
        `${duringLong.refused} refused (503 SERVER_BUSY) with nothing kept`,
    });
    expect(await first.kill('SIGTERM')).toBe(0);
    expect(await second.kill('SIGTERM')).toBe(0);
  });
});
