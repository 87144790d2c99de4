/** SQL for accounts and their devices. Plain data in and out; no business rules here. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Account, Device, NewAccount } from '../db/schema.ts';

export class AccountRepository {
  constructor(private readonly db: Db) {}

  findById(id: number): Promise<Account | undefined> {
    return this.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  findByEmail(email: string): Promise<Account | undefined> {
    return this.db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
  }

  /** Insert; the first account ever created becomes the administrator (decided inside the insert). */
  async create(account: Omit<NewAccount, 'is_admin'>): Promise<Account> {
    const noAccountYet = sql<number>`(select count(*) = 0 from accounts)`;
    const row = await this.db
      .insertInto('accounts')
      .values({ ...account, is_admin: noAccountYet })
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.db.whenDurable();
    return row;
  }

  /** Change the password hash and revoke every token issued before. */
  async setPassword(id: number, passwordHash: string): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ password_hash: passwordHash, token_version: sql`token_version + 1` })
      .where('id', '=', id)
      .execute();
    await this.db.whenDurable();
  }

  /** First step of deletion: revoke tokens and mark, so an interrupted deletion resumes at start-up. */
  async markDeleted(id: number, at: string): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ deleted_at: at, token_version: sql`token_version + 1` })
      .where('id', '=', id)
      .execute();
    await this.db.whenDurable();
  }

  async remove(id: number): Promise<void> {
    await this.db.deleteFrom('accounts').where('id', '=', id).execute();
  }

  /** Set (or clear, with null) the account's storage quota; false when there is no such account. */
  async setQuota(id: number, quotaBytes: number | null): Promise<boolean> {
    const result = await this.db
      .updateTable('accounts')
      .set({ quota_bytes: quotaBytes })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async setAdmin(id: number, admin: boolean): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ is_admin: admin ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  async hasAny(): Promise<boolean> {
    return (await this.db.selectFrom('accounts').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  listDeleted(): Promise<Account[]> {
    return this.db.selectFrom('accounts').selectAll().where('deleted_at', 'is not', null).execute();
  }

  listActive(): Promise<Account[]> {
    return this.db.selectFrom('accounts').selectAll().where('deleted_at', 'is', null).orderBy('id').execute();
  }

  /** Record that `deviceUuid` signed in to the account; returns the device row. */
  async touchDevice(accountId: number, deviceUuid: string, name: string | undefined, at: string): Promise<Device> {
    return this.db
      .insertInto('devices')
      .values({ account_id: accountId, device_uuid: deviceUuid, name: name ?? null, created_at: at, last_seen: at })
      .onConflict((conflict) =>
        conflict.columns(['account_id', 'device_uuid']).doUpdateSet({
          last_seen: at,
          // Signing in again (with a password or a pairing code) makes a revoked device active again.
          revoked_at: null,
          ...(name === undefined ? {} : { name }),
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Record activity of a device that is already signed in. */
  async markDeviceSeen(deviceId: number, at: string): Promise<void> {
    await this.db.updateTable('devices').set({ last_seen: at }).where('id', '=', deviceId).execute();
  }

  findDevice(accountId: number, deviceUuid: string): Promise<Device | undefined> {
    return this.db
      .selectFrom('devices')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('device_uuid', '=', deviceUuid)
      .executeTakeFirst();
  }
}
