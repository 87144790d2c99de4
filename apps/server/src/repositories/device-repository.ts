/** SQL for the devices signed in to an account: list them and revoke one. No business rules here. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Device } from '../db/schema.ts';

export class DeviceRepository {
  constructor(private readonly db: Db) {}

  /** The account's devices that are not revoked, most recently seen first. */
  listActive(accountId: number): Promise<Device[]> {
    return this.db
      .selectFrom('devices')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .orderBy('last_seen', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  /**
   * Revoke one of the account's devices: its token version moves on, so every token issued to it stops
   * working. False when the account has no such (unrevoked) device.
   */
  async revoke(accountId: number, deviceId: number, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('devices')
      .set({ revoked_at: at, token_version: sql`token_version + 1` })
      .where('id', '=', deviceId)
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
