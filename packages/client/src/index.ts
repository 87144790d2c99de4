export { ApiError, ProtocolError } from './api-error.ts';
export { createClient, type ByteRequest, type PhotoSyncClient, type UploadOptions } from './client.ts';
export type { Auth, AuthSource, Body, TransportOptions } from './http-transport.ts';
export { backupFolders, type BackupClient, type BackupOptions, type HaveAnswer } from './sync/backup.ts';
export { haveBatches, planBackup, type BackupPlan, type HashedFile, type PlannedUpload } from './sync/backup-plan.ts';
export { planDedupe, type DedupeCandidate, type DedupePlan, type DuplicateGroup } from './sync/dedupe-plan.ts';
export { mediaTypeOfName, sniffMedia, SNIFF_BYTES, type MediaKind, type SniffedMedia } from './sync/media-sniff.ts';
export { estimateEtaSeconds, ProgressMeter } from './sync/progress.ts';
export { restoreLibrary, suffixedName, type RestoreClient, type RestoreOptions } from './sync/restore.ts';
export type * from './sync/types.ts';
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
