/**
 * Schema migrations, dialect-neutral (Kysely schema builder), applied in order at start-up.
 * Never edit a shipped migration: add a new one.
 */
import type { Kysely, Migration } from 'kysely';
import { mediaMigration } from './media-migration.ts';

export const migrations: Record<string, Migration> = {
  '0001_accounts_devices_assets': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
        .addColumn('uuid', 'text', (col) => col.notNull().unique())
        .addColumn('email', 'text', (col) => col.notNull().unique())
        .addColumn('password_hash', 'text', (col) => col.notNull())
        .addColumn('token_version', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('is_admin', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('quota_bytes', 'bigint')
        .addColumn('hardware_device_id', 'text')
        .addColumn('asset_count', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('asset_bytes', 'bigint', (col) => col.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('deleted_at', 'text')
        .execute();
      await db.schema
        .createTable('devices')
        .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
        .addColumn('account_id', 'integer', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('device_uuid', 'text', (col) => col.notNull())
        .addColumn('name', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('last_seen', 'text', (col) => col.notNull())
        .addUniqueConstraint('devices_account_device', ['account_id', 'device_uuid'])
        .execute();
      await db.schema
        .createTable('assets')
        .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
        .addColumn('account_id', 'integer', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('filename', 'text', (col) => col.notNull())
        .addColumn('sha256', 'text', (col) => col.notNull())
        .addColumn('size', 'bigint', (col) => col.notNull())
        .addColumn('mime', 'text', (col) => col.notNull())
        .addColumn('device_id', 'integer', (col) => col.references('devices.id').onDelete('set null'))
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addUniqueConstraint('assets_account_filename', ['account_id', 'filename'])
        .addUniqueConstraint('assets_account_sha256', ['account_id', 'sha256'])
        .execute();
    },
  },
  '0002_vault': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('accounts')
        .addColumn('vault_bytes', 'bigint', (col) => col.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('vault_chunks')
        .addColumn('account_id', 'integer', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('chunk_id', 'text', (col) => col.notNull())
        .addColumn('size', 'bigint', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        // Epoch ms of the last upload or "have" answer: garbage collection spares recently touched chunks.
        .addColumn('touched_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('vault_chunks_pk', ['account_id', 'chunk_id'])
        .execute();
      await db.schema
        .createTable('vault_manifests')
        .addColumn('account_id', 'integer', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('manifest_id', 'text', (col) => col.notNull())
        .addColumn('body', 'text', (col) => col.notNull())
        .addColumn('chunk_count', 'integer')
        .addColumn('declares_chunks', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('vault_manifests_pk', ['account_id', 'manifest_id'])
        .execute();
      await db.schema
        .createTable('vault_manifest_chunks')
        .addColumn('account_id', 'integer', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('manifest_id', 'text', (col) => col.notNull())
        .addColumn('chunk_id', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('vault_manifest_chunks_pk', ['account_id', 'manifest_id', 'chunk_id'])
        .execute();
      await db.schema
        .createIndex('vault_manifest_chunks_by_chunk')
        .on('vault_manifest_chunks')
        .columns(['account_id', 'chunk_id'])
        .execute();
      await db.schema
        .createTable('vault_account_state')
        .addColumn('account_id', 'integer', (col) => col.primaryKey().references('accounts.id').onDelete('cascade'))
        .addColumn('device_state', 'text')
        .addColumn('device_state_updated_at', 'text')
        .addColumn('key_attributes', 'text')
        .addColumn('keys_updated_at', 'text')
        .execute();
    },
  },
  '0003_device_tokens_pairing': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Per-device revocation: a token carries its device's version; revoking a device bumps it.
      await db.schema
        .alterTable('devices')
        .addColumn('token_version', 'integer', (col) => col.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('devices').addColumn('revoked_at', 'text').execute();
      await db.schema
        .createTable('pairing_codes')
        .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
        .addColumn('account_id', 'integer', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('code_hash', 'text', (col) => col.notNull().unique())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'text', (col) => col.notNull())
        .addColumn('used_at', 'text')
        .execute();
    },
  },
  '0004_media_jobs': mediaMigration,
};
