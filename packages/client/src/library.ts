/**
 * `@photosync/client/library`: the API client and the plain-library sync engine (backup, restore,
 * dedupe plans, progress) without StealthCloud, so a program that never encrypts — the CLI's `backup`,
 * a script — starts without loading the crypto library or the vault code. `@photosync/client` exports
 * all of this too. Must never import the crypto package or the vault modules.
 */
export { ApiError, ProtocolError } from './api-error.ts';
export { createClient, type ByteRequest, type PhotoSyncClient, type UploadOptions } from './client.ts';
export type { Auth, AuthSource, Body, Endpoint, TransportOptions } from './http-transport.ts';
export { sendWithFetch, type SendSizedBody, type SizedBody, type SizedBodyRequest } from './sized-body.ts';
export { backupFolders, type BackupClient, type BackupOptions, type HaveAnswer } from './sync/backup.ts';
export {
  BackupPlanner,
  HAVE_BATCH_SIZE,
  type PlanListener,
  type PlannedUpload,
  type UploadRoute,
} from './sync/backup-plan.ts';
export { planDedupe, type DedupeCandidate, type DedupePlan, type DuplicateGroup } from './sync/dedupe-plan.ts';
export { mediaTypeOfName, sniffMedia, SNIFF_BYTES, type MediaKind, type SniffedMedia } from './sync/media-sniff.ts';
export { estimateEtaSeconds, ProgressMeter } from './sync/progress.ts';
export { restoreLibrary, suffixedName, type RestoreClient, type RestoreOptions } from './sync/restore.ts';
export type * from './sync/types.ts';
