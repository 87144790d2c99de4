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
  /** Sum of stored vault chunk sizes; changed only together with vault_chunks rows, within the quota. */
  vault_bytes: Generated<number>;
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
  /** In every token issued to the device; bumped when the device is revoked, so its older tokens stop working. */
  token_version: Generated<number>;
  /** When the device was revoked (it is listed again once it signs in anew). */
  revoked_at: Generated<string | null>;
}

/** One-time codes that sign a phone in to the account that created them (stored as SHA-256 only). */
export interface PairingCodesTable {
  id: Generated<number>;
  account_id: number;
  code_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
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
  /** Media metadata (migration 0004); see [Note: capture order] in ./media-migration.ts. */
  captured_at: string | null;
  captured_at_ms: Generated<number>;
  /** Where the capture time came from: exif, exif-local (no offset recorded), video, file. */
  captured_at_source: string | null;
  /** Displayed size, i.e. after the orientation is applied. */
  width: number | null;
  height: number | null;
  /** EXIF orientation 1–8 as recorded in the file. */
  orientation: number | null;
  camera_make: string | null;
  camera_model: string | null;
  gps_latitude: number | null;
  gps_longitude: number | null;
  duration_ms: number | null;
  /** photo | video | other; null until the file was looked at (then the media type decides). */
  media_kind: string | null;
  /** Which reader produced the metadata: exifr, exiftool, sharp, heic-decode, ffprobe, none. */
  metadata_source: string | null;
  /** pending | done | failed */
  metadata_status: Generated<string>;
  /** pending | ready | placeholder | none | failed */
  thumb_status: Generated<string>;
}

/** Persistent background work (the media queue); a restart requeues what was running. */
export interface JobsTable {
  id: Generated<number>;
  kind: string;
  asset_id: number;
  account_id: number;
  /** queued | running | done | failed */
  status: string;
  attempts: Generated<number>;
  /** Why the job failed (or why its last attempt failed, while it waits to retry). */
  reason: string | null;
  run_after: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface VaultChunksTable {
  account_id: number;
  chunk_id: string;
  size: number;
  created_at: string;
  touched_at: number;
}

export interface VaultManifestsTable {
  account_id: number;
  manifest_id: string;
  body: string;
  chunk_count: number | null;
  /** 1 when the client declared the manifest's chunk ids (v2), enabling reference counting. */
  declares_chunks: number;
  created_at: string;
}

export interface VaultManifestChunksTable {
  account_id: number;
  manifest_id: string;
  chunk_id: string;
}

export interface VaultAccountStateTable {
  account_id: number;
  device_state: string | null;
  device_state_updated_at: string | null;
  key_attributes: string | null;
  keys_updated_at: string | null;
}

export interface Database {
  accounts: AccountsTable;
  devices: DevicesTable;
  assets: AssetsTable;
  vault_chunks: VaultChunksTable;
  vault_manifests: VaultManifestsTable;
  vault_manifest_chunks: VaultManifestChunksTable;
  vault_account_state: VaultAccountStateTable;
  jobs: JobsTable;
  pairing_codes: PairingCodesTable;
}

export type Account = Selectable<AccountsTable>;
export type NewAccount = Insertable<AccountsTable>;
export type Device = Selectable<DevicesTable>;
export type Asset = Selectable<AssetsTable>;
export type NewAsset = Insertable<AssetsTable>;
export type VaultManifest = Selectable<VaultManifestsTable>;
export type Job = Selectable<JobsTable>;
