/** SQL for one-time pairing codes (stored as SHA-256 hashes only). No business rules here. */
import type { Db } from '../db/database.ts';

export interface PairingCodeRow {
  readonly accountId: number;
  readonly expiresAt: string;
  readonly usedAt: string | null;
}

export class PairingCodeRepository {
  constructor(private readonly db: Db) {}

  async insert(input: { accountId: number; codeHash: string; createdAt: string; expiresAt: string }): Promise<void> {
    await this.db
      .insertInto('pairing_codes')
      .values({
        account_id: input.accountId,
        code_hash: input.codeHash,
        created_at: input.createdAt,
        expires_at: input.expiresAt,
        used_at: null,
      })
      .execute();
  }

  /**
   * Mark the code used if it is unused and unexpired, in one statement, so two phones racing with the same
   * code cannot both win. Returns the account it belongs to, or undefined when nothing was claimed.
   */
  async claim(codeHash: string, at: string): Promise<number | undefined> {
    const row = await this.db
      .updateTable('pairing_codes')
      .set({ used_at: at })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .returning('account_id')
      .executeTakeFirst();
    return row?.account_id;
  }

  async find(codeHash: string): Promise<PairingCodeRow | undefined> {
    const row = await this.db
      .selectFrom('pairing_codes')
      .select(['account_id', 'expires_at', 'used_at'])
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    return row && { accountId: row.account_id, expiresAt: row.expires_at, usedAt: row.used_at };
  }

  /** Forget codes that expired before `before` (used or not); returns how many. */
  async removeExpired(before: string): Promise<number> {
    const result = await this.db.deleteFrom('pairing_codes').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
