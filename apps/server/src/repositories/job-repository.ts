/**
 * SQL for the persistent job queue (`jobs`). One row per (kind, asset): enqueueing twice never duplicates work.
 * Claiming is a single UPDATE … WHERE id = (next queued) so two claims can never take the same job.
 * Must never: lose a job on restart (running rows are requeued at start-up) or touch another table's data
 * except the asset status columns a final failure settles.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Job } from '../db/schema.ts';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export class JobRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Queue `kind` work for an asset unless a row for it exists already; true when a row was added. */
  async enqueue(kind: string, assetId: number, accountId: number): Promise<boolean> {
    const at = this.now().toISOString();
    const result = await this.db
      .insertInto('jobs')
      .values({ kind, asset_id: assetId, account_id: accountId, status: 'queued', created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['kind', 'asset_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Queue `kind` work for every asset whose metadata is still pending and that has no job yet. */
  async enqueueMissing(kind: string): Promise<number> {
    const at = this.now().toISOString();
    const result = await this.db
      .insertInto('jobs')
      .columns(['kind', 'asset_id', 'account_id', 'status', 'created_at', 'updated_at'])
      .expression((eb) =>
        eb
          .selectFrom('assets')
          .select((s) => [
            s.val(kind).as('kind'),
            'assets.id',
            'assets.account_id',
            s.val('queued').as('status'),
            s.val(at).as('created_at'),
            s.val(at).as('updated_at'),
          ])
          .where('assets.metadata_status', '=', 'pending')
          .where((w) =>
            w.not(
              w.exists(
                w
                  .selectFrom('jobs')
                  .select('jobs.id')
                  .whereRef('jobs.asset_id', '=', 'assets.id')
                  .where('jobs.kind', '=', kind),
              ),
            ),
          ),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  }

  /** Run `kind` again for the assets whose thumbnail is `thumbStatus` (e.g. video placeholders once ffmpeg exists). */
  async requeueByThumbStatus(kind: string, thumbStatus: string): Promise<number> {
    const result = await this.db
      .updateTable('jobs')
      .set({ status: 'queued', attempts: 0, reason: null, run_after: 0, updated_at: this.now().toISOString() })
      .where('kind', '=', kind)
      .where('status', 'in', ['done', 'failed'])
      .where('asset_id', 'in', (eb) => eb.selectFrom('assets').select('id').where('thumb_status', '=', thumbStatus))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Start-up: jobs that were running when the server stopped are queued again (their attempt still counts). */
  async requeueInterrupted(): Promise<number> {
    const result = await this.db
      .updateTable('jobs')
      .set({ status: 'queued', updated_at: this.now().toISOString() })
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Take the oldest queued job that may run at `nowMs`, marking it running and counting the attempt. */
  claimNext(nowMs: number): Promise<Job | undefined> {
    return this.db
      .updateTable('jobs')
      .set({ status: 'running', attempts: sql`attempts + 1`, updated_at: this.now().toISOString() })
      .where('id', '=', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where('status', '=', 'queued')
          .where('run_after', '<=', nowMs)
          .orderBy('id')
          .limit(1),
      )
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
  }

  /** Epoch ms of the earliest queued job, or undefined when nothing is queued. */
  async nextRunAfter(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.min('run_after').as('next'))
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return row?.next === null || row?.next === undefined ? undefined : Number(row.next);
  }

  /** Done; `note` records what was missing from a partial success (e.g. ffmpeg not installed). */
  complete(id: number, note: string | null = null): Promise<unknown> {
    return this.settle(id, { status: 'done', reason: note });
  }

  /**
   * Put a job back in the queue. `attempts` (when given) replaces the count: a clean shutdown that interrupted
   * the job gives its attempt back.
   */
  retryLater(id: number, runAfterMs: number, reason: string | null, attempts?: number): Promise<unknown> {
    return this.db
      .updateTable('jobs')
      .set({
        status: 'queued',
        reason,
        run_after: runAfterMs,
        updated_at: this.now().toISOString(),
        ...(attempts === undefined ? {} : { attempts }),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Final failure: the job keeps its reason, and the asset's still-pending statuses become failed. */
  async fail(id: number, reason: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const job = await trx
        .updateTable('jobs')
        .set({ status: 'failed', reason, updated_at: this.now().toISOString() })
        .where('id', '=', id)
        .returning('asset_id')
        .executeTakeFirst();
      if (!job) return;
      for (const column of ['metadata_status', 'thumb_status'] as const) {
        await trx
          .updateTable('assets')
          .set({ [column]: 'failed' })
          .where('id', '=', job.asset_id)
          .where(column, '=', 'pending')
          .execute();
      }
    });
  }

  findByAsset(kind: string, assetId: number): Promise<Job | undefined> {
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', kind)
      .where('asset_id', '=', assetId)
      .executeTakeFirst();
  }

  private settle(id: number, values: { status: JobStatus; reason: string | null }): Promise<unknown> {
    return this.db
      .updateTable('jobs')
      .set({ ...values, updated_at: this.now().toISOString() })
      .where('id', '=', id)
      .execute();
  }
}
