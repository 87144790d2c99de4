// The persistent job queue against a real SQLite database, with a fake job body: concurrency bound, retries only
// for transient failures (with back-off), reasons kept, requeue after a crash, give-up after repeated
// interruptions, and a clean stop that aborts running jobs and gives their attempt back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/db/database.ts';
import type { Job } from '../../../src/db/schema.ts';
import { JobRepository } from '../../../src/repositories/job-repository.ts';
import { JobFailure } from '../../../src/services/media/job-failure.ts';
import { JobQueue } from '../../../src/services/media/job-queue.ts';

describe('JobQueue', () => {
  let dir: string;
  let db: Db;
  let jobs: JobRepository;
  let assetIds: number[];
  let accountId: number;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photosync-jobs-'));
    db = await openDatabase(join(dir, 'test.db'));
    jobs = new JobRepository(db);
    const at = new Date().toISOString();
    const account = await db
      .insertInto('accounts')
      .values({
        uuid: 'u1',
        email: 'a@example.com',
        password_hash: 'x',
        token_version: 0,
        is_admin: 0,
        asset_count: 0,
        asset_bytes: 0,
        created_at: at,
        quota_bytes: null,
        hardware_device_id: null,
        deleted_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    accountId = account.id;
    assetIds = [];
    for (let i = 0; i < 6; i += 1) {
      const row = await db
        .insertInto('assets')
        .values({
          account_id: accountId,
          filename: `f${i}.jpg`,
          sha256: `${i}`.repeat(64).slice(0, 64),
          size: 1,
          mime: 'image/jpeg',
          device_id: null,
          created_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      assetIds.push(row.id);
    }
  });
  afterEach(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const rows = () => db.selectFrom('jobs').select(['asset_id', 'status', 'attempts', 'reason']).orderBy('id').execute();
  const queue = (run: (job: Job, signal: AbortSignal) => Promise<string | undefined>, concurrency = 2) =>
    new JobQueue({
      jobs,
      kind: 'media',
      run,
      concurrency,
      backoffMs: () => 0,
      onError: (error) => {
        throw error;
      },
    });

  it('runs every job once, never more than `concurrency` at a time', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    const q = queue(async (job) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(job.asset_id);
      running -= 1;
      return undefined;
    });
    await q.start();
    for (const id of assetIds) q.enqueue(id, accountId);
    q.enqueue(assetIds[0] ?? 0, accountId); // a second enqueue of the same asset adds nothing
    await q.whenIdle();
    expect(seen.sort()).toEqual([...assetIds].sort());
    expect(peak).toBe(2);
    expect((await rows()).map((row) => [row.status, row.attempts])).toEqual(assetIds.map(() => ['done', 1]));
    await q.stop();
  });

  it('retries transient failures with back-off and fails others at once, keeping the reason', async () => {
    const calls = new Map<number, number>();
    const q = queue(async (job) => {
      const call = (calls.get(job.asset_id) ?? 0) + 1;
      calls.set(job.asset_id, call);
      if (job.asset_id === assetIds[0]) throw new JobFailure('disk busy', true);
      if (job.asset_id === assetIds[1] && call === 1)
        throw Object.assign(new Error('too many files'), { code: 'EMFILE' });
      if (job.asset_id === assetIds[2]) throw new JobFailure('corrupt image');
      return job.asset_id === assetIds[3] ? 'ffmpeg missing' : undefined;
    });
    await q.start();
    for (const id of assetIds.slice(0, 4)) q.enqueue(id, accountId);
    await q.whenIdle();
    expect(await rows()).toEqual([
      { asset_id: assetIds[0], status: 'failed', attempts: 3, reason: 'disk busy' },
      { asset_id: assetIds[1], status: 'done', attempts: 2, reason: null },
      { asset_id: assetIds[2], status: 'failed', attempts: 1, reason: 'corrupt image' },
      { asset_id: assetIds[3], status: 'done', attempts: 1, reason: 'ffmpeg missing' },
    ]);
    const failedAsset = await db
      .selectFrom('assets')
      .select(['metadata_status', 'thumb_status'])
      .where('id', '=', assetIds[2] ?? 0)
      .executeTakeFirstOrThrow();
    expect(failedAsset).toEqual({ metadata_status: 'failed', thumb_status: 'failed' });
    await q.stop();
  });

  it('requeues jobs a crash left running and gives up after three interrupted attempts', async () => {
    for (const id of assetIds.slice(0, 2)) await jobs.enqueue('media', id, accountId);
    await db
      .updateTable('jobs')
      .set({ status: 'running', attempts: 1 })
      .where('asset_id', '=', assetIds[0] ?? 0)
      .execute();
    await db
      .updateTable('jobs')
      .set({ status: 'running', attempts: 3 })
      .where('asset_id', '=', assetIds[1] ?? 0)
      .execute();
    const ran: number[] = [];
    const q = queue(async (job) => {
      ran.push(job.asset_id);
      return undefined;
    });
    await q.start();
    await q.whenIdle();
    expect(ran).toEqual([assetIds[0]]);
    const [first, second] = await rows();
    expect(first).toMatchObject({ status: 'done', attempts: 2 });
    expect(second).toMatchObject({ status: 'failed', attempts: 4 });
    expect(second?.reason).toMatch(/Given up after 3 attempts/);
    await q.stop();
  });

  it('stops cleanly: running jobs are aborted and queued again with their attempt given back', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const q = queue(
      (_job, signal) =>
        new Promise((_resolve, reject) => {
          started();
          signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
      1,
    );
    await q.start();
    for (const id of assetIds.slice(0, 3)) q.enqueue(id, accountId);
    await running;
    await q.stop();
    expect((await rows()).map((row) => [row.status, row.attempts])).toEqual([
      ['queued', 0],
      ['queued', 0],
      ['queued', 0],
    ]);
  });
});
