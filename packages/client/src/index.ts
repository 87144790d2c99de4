/**
 * `@photosync/client`: the API client, the plain-library sync engine (also alone, lighter, as
 * `@photosync/client/library`) and StealthCloud (vault open, encrypted backup and restore).
 * Platform-neutral; the Node ports are `@photosync/client/node`.
 */
export * from './library.ts';
export { backupToVault, type VaultBackupOptions, type VaultBackupReport } from './vault-sync/backup.ts';
export { memoryUploadJournal, type UploadJournalEntry, type VaultUploadJournal } from './vault-sync/upload-journal.ts';
export {
  MIN_VAULT_PASSWORD_LENGTH,
  openVault,
  type OpenedVault,
  type OpenVaultOptions,
  type VaultFormat,
  type VaultKey,
} from './vault-sync/open-vault.ts';
export { restoreFromVault, type RestoreFolders, type VaultRestoreOptions } from './vault-sync/restore.ts';
export * from './vault-sync/vault-errors.ts';
