/** SQL for per-account StealthCloud state: the phone's device-state blob and the v2 key attributes. */
import type { Db } from '../db/database.ts';

export interface StoredJson {
  readonly json: string | null;
  readonly updatedAt: string | null;
}

type Column = 'device_state' | 'key_attributes';
const UPDATED: Record<Column, 'device_state_updated_at' | 'keys_updated_at'> = {
  device_state: 'device_state_updated_at',
  key_attributes: 'keys_updated_at',
};

export class VaultStateRepository {
  constructor(private readonly db: Db) {}

  async get(accountId: number, column: Column): Promise<StoredJson> {
    const row = await this.db
      .selectFrom('vault_account_state')
      .select([column, UPDATED[column]])
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) return { json: null, updatedAt: null };
    const record = row as Record<string, string | null>;
    return { json: record[column] ?? null, updatedAt: record[UPDATED[column]] ?? null };
  }

  async put(accountId: number, column: Column, json: string, at: string): Promise<void> {
    const values = { [column]: json, [UPDATED[column]]: at };
    await this.db
      .insertInto('vault_account_state')
      .values({ account_id: accountId, ...values })
      .onConflict((conflict) => conflict.column('account_id').doUpdateSet(values))
      .execute();
    await this.db.whenDurable();
  }

  async clearDeviceState(accountId: number): Promise<void> {
    await this.db
      .updateTable('vault_account_state')
      .set({ device_state: null, device_state_updated_at: null })
      .where('account_id', '=', accountId)
      .execute();
  }
}
