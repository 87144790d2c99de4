/**
 * Migration 0004: what the media pipeline learns about each asset (capture time, size, camera, place, kind) and
 * the persistent `jobs` table its queue works from, so a restart resumes the work.
 * [Note: capture order] `captured_at` is ISO 8601 text as the camera meant it (with its UTC offset when known);
 * `captured_at_ms` is the same instant in epoch milliseconds and is what the timeline sorts on. Until a file's
 * metadata is read both hold the time the server stored it, so every row always has a place in the timeline.
 * Never edit this once shipped: add a new migration.
 */
import type { Kysely, Migration } from 'kysely';

const BACKFILL_BATCH = 1000;

/** Give existing rows their provisional capture time (the stored time) in one transaction per batch. */
async function backfillCaptureTimes(db: Kysely<unknown>): Promise<void> {
  const assets = db as unknown as Kysely<{
    assets: { id: number; created_at: string; captured_at: string | null; captured_at_ms: number };
  }>;
  let lastId = 0;
  for (;;) {
    const rows = await assets
      .selectFrom('assets')
      .select(['id', 'created_at'])
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(BACKFILL_BATCH)
      .execute();
    const last = rows.at(-1);
    if (!last) return;
    const write = async (trx: typeof assets): Promise<void> => {
      for (const row of rows) {
        const ms = Date.parse(row.created_at);
        await trx
          .updateTable('assets')
          .set({ captured_at: row.created_at, captured_at_ms: Number.isFinite(ms) ? ms : 0 })
          .where('id', '=', row.id)
          .execute();
      }
    };
    if (assets.isTransaction) await write(assets);
    else await assets.transaction().execute(write);
    lastId = last.id;
  }
}

export const mediaMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const columns: [string, 'text' | 'integer' | 'bigint' | 'real'][] = [
      ['captured_at', 'text'],
      ['captured_at_source', 'text'],
      ['width', 'integer'],
      ['height', 'integer'],
      ['orientation', 'integer'],
      ['camera_make', 'text'],
      ['camera_model', 'text'],
      ['gps_latitude', 'real'],
      ['gps_longitude', 'real'],
      ['duration_ms', 'bigint'],
      ['media_kind', 'text'],
      ['metadata_source', 'text'],
    ];
    for (const [name, type] of columns) {
      await db.schema.alterTable('assets').addColumn(name, type).execute();
    }
    await db.schema
      .alterTable('assets')
      .addColumn('captured_at_ms', 'bigint', (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('assets')
      .addColumn('metadata_status', 'text', (col) => col.notNull().defaultTo('pending'))
      .execute();
    await db.schema
      .alterTable('assets')
      .addColumn('thumb_status', 'text', (col) => col.notNull().defaultTo('pending'))
      .execute();
    await backfillCaptureTimes(db);
    await db.schema
      .createIndex('assets_timeline')
      .on('assets')
      .columns(['account_id', 'captured_at_ms', 'id'])
      .execute();
    await db.schema.createIndex('assets_months').on('assets').columns(['account_id', 'captured_at']).execute();

    await db.schema
      .createTable('jobs')
      .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('asset_id', 'integer', (col) => col.notNull().references('assets.id').onDelete('cascade'))
      .addColumn('account_id', 'integer', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('reason', 'text')
      // Epoch ms before which a queued job is not started (back-off after a transient failure).
      .addColumn('run_after', 'bigint', (col) => col.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addUniqueConstraint('jobs_kind_asset', ['kind', 'asset_id'])
      .execute();
    await db.schema.createIndex('jobs_by_status').on('jobs').columns(['status', 'run_after', 'id']).execute();
  },
};
