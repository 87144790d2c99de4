/**
 * SQL for the library index. Inserts and deletes keep the account's asset_count/asset_bytes in the same
 * transaction, so listing totals and stats never scan the library.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Asset, NewAsset } from '../db/schema.ts';

const SHA256_BATCH = 500;

export class AssetRepository {
  constructor(private readonly db: Db) {}

  findBySha256(accountId: number, sha256: string): Promise<Asset | undefined> {
    return this.db
      .selectFrom('assets')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('sha256', '=', sha256)
      .executeTakeFirst();
  }

  /**
   * Stored name per SHA-256 for those of `sha256s` the account has, using UNIQUE(account_id, sha256).
   * Queried in batches: one statement binds at most SHA256_BATCH values (SQLite and PostgreSQL limits).
   */
  async namesBySha256(accountId: number, sha256s: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let start = 0; start < sha256s.length; start += SHA256_BATCH) {
      const rows = await this.db
        .selectFrom('assets')
        .select(['sha256', 'filename'])
        .where('account_id', '=', accountId)
        .where('sha256', 'in', sha256s.slice(start, start + SHA256_BATCH))
        .execute();
      for (const row of rows) found.set(row.sha256, row.filename);
    }
    return found;
  }

  findByName(accountId: number, filename: string): Promise<Asset | undefined> {
    return this.db
      .selectFrom('assets')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('filename', '=', filename)
      .executeTakeFirst();
  }

  /** One page in name order; `limit` undefined means all. Uses the (account_id, filename) index. */
  listByName(
    accountId: number,
    offset: number,
    limit: number | undefined,
  ): Promise<Pick<Asset, 'filename' | 'size' | 'created_at'>[]> {
    let query = this.db
      .selectFrom('assets')
      .select(['filename', 'size', 'created_at'])
      .where('account_id', '=', accountId)
      .orderBy('filename');
    if (limit !== undefined) query = query.limit(limit).offset(offset);
    else if (offset > 0) query = query.limit(-1).offset(offset);
    return query.execute();
  }

  /** The next `limit` rows after `afterName` in name order, with their hashes (verification walks). */
  pageAfter(
    accountId: number,
    afterName: string,
    limit: number,
  ): Promise<Pick<Asset, 'filename' | 'sha256' | 'size'>[]> {
    return this.db
      .selectFrom('assets')
      .select(['filename', 'sha256', 'size'])
      .where('account_id', '=', accountId)
      .where('filename', '>', afterName)
      .orderBy('filename')
      .limit(limit)
      .execute();
  }

  /** All file names of an account (start-up reconciliation only). */
  async allNames(accountId: number): Promise<Set<string>> {
    const rows = await this.db.selectFrom('assets').select('filename').where('account_id', '=', accountId).execute();
    return new Set(rows.map((row) => row.filename));
  }

  /** Insert and wait until the row is durable ([Note: durable commit]): callers acknowledge right after. */
  async insert(asset: NewAsset): Promise<Asset> {
    const inserted = await this.db.transaction().execute(async (trx) => {
      // Until its metadata is read a file sits in the timeline at the time it was stored ([Note: capture order]).
      const provisional = { captured_at: asset.created_at, captured_at_ms: Date.parse(asset.created_at) };
      const row = await trx
        .insertInto('assets')
        .values({ ...provisional, ...asset })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('accounts')
        .set({ asset_count: sql`asset_count + 1`, asset_bytes: sql`asset_bytes + ${row.size}` })
        .where('id', '=', row.account_id)
        .execute();
      return row;
    });
    await this.db.whenDurable();
    return inserted;
  }

  /** Remove one row; returns it, or undefined when there was none. */
  async remove(accountId: number, filename: string): Promise<Asset | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .deleteFrom('assets')
        .where('account_id', '=', accountId)
        .where('filename', '=', filename)
        .returningAll()
        .executeTakeFirst();
      if (row) {
        await trx
          .updateTable('accounts')
          .set({ asset_count: sql`asset_count - 1`, asset_bytes: sql`asset_bytes - ${row.size}` })
          .where('id', '=', accountId)
          .execute();
      }
      return row;
    });
  }

  /** Remove every row of the account; returns the removed names. */
  async removeAll(accountId: number): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx.deleteFrom('assets').where('account_id', '=', accountId).returning('filename').execute();
      await trx.updateTable('accounts').set({ asset_count: 0, asset_bytes: 0 }).where('id', '=', accountId).execute();
      return rows.map((row) => row.filename);
    });
  }

  async totals(accountId: number): Promise<{ count: number; bytes: number }> {
    const row = await this.db
      .selectFrom('accounts')
      .select(['asset_count', 'asset_bytes'])
      .where('id', '=', accountId)
      .executeTakeFirst();
    return { count: row?.asset_count ?? 0, bytes: row?.asset_bytes ?? 0 };
  }
}
