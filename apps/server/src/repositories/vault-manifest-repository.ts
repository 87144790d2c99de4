/** SQL for StealthCloud manifests (opaque encrypted bodies) and the chunk references v2 manifests declare. */
import type { Db } from '../db/database.ts';
import type { VaultManifest } from '../db/schema.ts';

const BATCH = 400;

export class VaultManifestRepository {
  constructor(private readonly db: Db) {}

  /** Insert unless the id exists (first writer wins). True when this call inserted it. */
  async insert(
    accountId: number,
    manifestId: string,
    body: string,
    chunkCount: number | null,
    chunkIds: readonly string[] | undefined,
    now: Date,
  ): Promise<boolean> {
    const inserted = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('vault_manifests')
        .values({
          account_id: accountId,
          manifest_id: manifestId,
          body,
          chunk_count: chunkCount,
          declares_chunks: chunkIds ? 1 : 0,
          created_at: now.toISOString(),
        })
        .onConflict((conflict) => conflict.columns(['account_id', 'manifest_id']).doNothing())
        .returning('manifest_id')
        .executeTakeFirst();
      if (!row || !chunkIds) return row !== undefined;
      const unique = [...new Set(chunkIds)];
      for (let start = 0; start < unique.length; start += BATCH) {
        await trx
          .insertInto('vault_manifest_chunks')
          .values(
            unique
              .slice(start, start + BATCH)
              .map((chunkId) => ({ account_id: accountId, manifest_id: manifestId, chunk_id: chunkId })),
          )
          .execute();
      }
      return true;
    });
    await this.db.whenDurable();
    return inserted;
  }

  find(accountId: number, manifestId: string): Promise<VaultManifest | undefined> {
    return this.db
      .selectFrom('vault_manifests')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('manifest_id', '=', manifestId)
      .executeTakeFirst();
  }

  async list(accountId: number, offset: number, limit: number | undefined): Promise<string[]> {
    let query = this.db
      .selectFrom('vault_manifests')
      .select('manifest_id')
      .where('account_id', '=', accountId)
      .orderBy('manifest_id');
    if (limit !== undefined) query = query.limit(limit).offset(offset);
    else if (offset > 0) query = query.limit(-1).offset(offset);
    return (await query.execute()).map((row) => row.manifest_id);
  }

  async count(accountId: number): Promise<number> {
    const row = await this.db
      .selectFrom('vault_manifests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Manifests whose chunks are unknown to the server (v1): while any exist, no chunk can be collected. */
  async countUndeclared(accountId: number): Promise<number> {
    const row = await this.db
      .selectFrom('vault_manifests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('declares_chunks', '=', 0)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async remove(accountId: number, manifestId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('vault_manifest_chunks')
        .where('account_id', '=', accountId)
        .where('manifest_id', '=', manifestId)
        .execute();
      const result = await trx
        .deleteFrom('vault_manifests')
        .where('account_id', '=', accountId)
        .where('manifest_id', '=', manifestId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async removeAll(accountId: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('vault_manifest_chunks').where('account_id', '=', accountId).execute();
      const result = await trx.deleteFrom('vault_manifests').where('account_id', '=', accountId).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
}
