/**
 * SQL for StealthCloud chunks.
 * [Note: quota in the database] The chunk row and the usage counter change in one transaction, and the
 * counter only moves by a conditional UPDATE (`used + size <= quota`). Concurrent uploads, in this process or
 * another, therefore can never push an account past its quota; nothing about quotas is held in memory.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export type InsertChunkOutcome =
  | { readonly kind: 'inserted' }
  | { readonly kind: 'exists' }
  | { readonly kind: 'over-quota'; readonly usedBytes: number; readonly quotaBytes: number };

const BATCH = 500;

function* batches<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += BATCH) yield items.slice(start, start + BATCH);
}

class OverQuota extends Error {}

export class VaultChunkRepository {
  constructor(private readonly db: Db) {}

  async exists(accountId: number, chunkId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('vault_chunks')
      .select('chunk_id')
      .where('account_id', '=', accountId)
      .where('chunk_id', '=', chunkId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Record a stored chunk and add its size to usage, unless that would exceed the account's quota. */
  async insertWithinQuota(accountId: number, chunkId: string, size: number, now: Date): Promise<InsertChunkOutcome> {
    try {
      const outcome = await this.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('vault_chunks')
          .values({
            account_id: accountId,
            chunk_id: chunkId,
            size,
            created_at: now.toISOString(),
            touched_at: now.getTime(),
          })
          .onConflict((conflict) => conflict.columns(['account_id', 'chunk_id']).doNothing())
          .returning('chunk_id')
          .executeTakeFirst();
        if (!inserted) {
          await trx
            .updateTable('vault_chunks')
            .set({ touched_at: now.getTime() })
            .where('account_id', '=', accountId)
            .where('chunk_id', '=', chunkId)
            .execute();
          return { kind: 'exists' } as const;
        }
        const counted = await trx
          .updateTable('accounts')
          .set({ vault_bytes: sql`vault_bytes + ${size}` })
          .where('id', '=', accountId)
          .where((eb) =>
            eb.or([eb('quota_bytes', 'is', null), eb(sql`vault_bytes + ${size}`, '<=', eb.ref('quota_bytes'))]),
          )
          .executeTakeFirst();
        if (Number(counted.numUpdatedRows) === 0) throw new OverQuota();
        return { kind: 'inserted' } as const;
      });
      await this.db.whenDurable();
      return outcome;
    } catch (error) {
      if (!(error instanceof OverQuota)) throw error;
      const usage = await this.usage(accountId);
      return { kind: 'over-quota', usedBytes: usage.usedBytes, quotaBytes: usage.quotaBytes ?? 0 };
    }
  }

  async usage(accountId: number): Promise<{ usedBytes: number; quotaBytes: number | null }> {
    const row = await this.db
      .selectFrom('accounts')
      .select(['vault_bytes', 'quota_bytes'])
      .where('id', '=', accountId)
      .executeTakeFirst();
    return { usedBytes: Number(row?.vault_bytes ?? 0), quotaBytes: row?.quota_bytes ?? null };
  }

  /** Which of `chunkIds` the account has; marks them touched so collection spares them for a while. */
  async have(accountId: number, chunkIds: readonly string[], now: Date): Promise<Set<string>> {
    const found = new Set<string>();
    for (const batch of batches(chunkIds)) {
      const rows = await this.db
        .updateTable('vault_chunks')
        .set({ touched_at: now.getTime() })
        .where('account_id', '=', accountId)
        .where('chunk_id', 'in', batch)
        .returning('chunk_id')
        .execute();
      for (const row of rows) found.add(row.chunk_id);
    }
    return found;
  }

  /**
   * Delete chunks no manifest references and nobody touched since `cutoffMs`, re-checking both conditions in
   * the DELETE itself so a concurrent upload or "have" wins. Returns what was removed.
   */
  async deleteUnreferenced(accountId: number, cutoffMs: number): Promise<{ chunkId: string; size: number }[]> {
    return this.db.transaction().execute(async (trx) => {
      const removed = await trx
        .deleteFrom('vault_chunks')
        .where('account_id', '=', accountId)
        .where('touched_at', '<', cutoffMs)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('vault_manifest_chunks as ref')
                .select('ref.chunk_id')
                .whereRef('ref.account_id', '=', 'vault_chunks.account_id')
                .whereRef('ref.chunk_id', '=', 'vault_chunks.chunk_id'),
            ),
          ),
        )
        .returning(['chunk_id', 'size'])
        .execute();
      const freed = removed.reduce((sum, row) => sum + Number(row.size), 0);
      if (freed > 0) {
        await trx
          .updateTable('accounts')
          .set({ vault_bytes: sql`vault_bytes - ${freed}` })
          .where('id', '=', accountId)
          .execute();
      }
      return removed.map((row) => ({ chunkId: row.chunk_id, size: Number(row.size) }));
    });
  }

  /** The next `limit` chunks after `afterId` in id order (verification walks). */
  async pageAfter(accountId: number, afterId: string, limit: number): Promise<{ chunkId: string; size: number }[]> {
    const rows = await this.db
      .selectFrom('vault_chunks')
      .select(['chunk_id', 'size'])
      .where('account_id', '=', accountId)
      .where('chunk_id', '>', afterId)
      .orderBy('chunk_id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ chunkId: row.chunk_id, size: Number(row.size) }));
  }

  /** Ids of the account's chunks that start with `prefix` (hex; start-up reconciliation walks one fan-out folder). */
  async idsWithPrefix(accountId: number, prefix: string): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('vault_chunks')
      .select('chunk_id')
      .where('account_id', '=', accountId)
      .where('chunk_id', '>=', prefix)
      .where('chunk_id', '<', `${prefix}g`)
      .execute();
    return new Set(rows.map((row) => row.chunk_id));
  }

  /** Remove every chunk row of the account; returns their ids. */
  async removeAll(accountId: number): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .deleteFrom('vault_chunks')
        .where('account_id', '=', accountId)
        .returning('chunk_id')
        .execute();
      await trx.updateTable('accounts').set({ vault_bytes: 0 }).where('id', '=', accountId).execute();
      return rows.map((row) => row.chunk_id);
    });
  }
}
