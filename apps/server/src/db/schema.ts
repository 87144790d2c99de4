/** Kysely table types; they mirror ./migrations.ts exactly. */
import type { Generated, Insertable, Selectable } from 'kysely';

export interface AccountsTable {
  id: Generated<number>;
  /** Names the account's folder `uploads/{uuid}/`; random at creation, fixed for the account's life. */
  uuid: string;
  email: string;
  password_hash: string;
  /** Bumped on password change/reset and deletion: every older token is revoked. */
  token_version: number;
  is_admin: number;
  quota_bytes: number | null;
  hardware_device_id: string | null;
  /** Kept in step with `assets` in the same transaction, so totals never need a scan. */
  asset_count: number;
  asset_bytes: number;
  created_at: string;
  /** Set when deletion began; start-up finishes an interrupted deletion. */
  deleted_at: string | null;
}

export interface DevicesTable {
  id: Generated<number>;
  account_id: number;
  device_uuid: string;
  name: string | null;
  created_at: string;
  last_seen: string;
}

export interface AssetsTable {
  id: Generated<number>;
  account_id: number;
  filename: string;
  sha256: string;
  size: number;
  mime: string;
  device_id: number | null;
  created_at: string;
}

export interface Database {
  accounts: AccountsTable;
  devices: DevicesTable;
  assets: AssetsTable;
}

export type Account = Selectable<AccountsTable>;
export type NewAccount = Insertable<AccountsTable>;
export type Device = Selectable<DevicesTable>;
export type Asset = Selectable<AssetsTable>;
export type NewAsset = Insertable<AssetsTable>;
