/**
 * `@photosync/client/node`: the sync engine's ports on Node's file system — folder scanning with content
 * sniffing, streaming SHA-256, the on-disk hash cache and resumable-upload store, the restore folder, and
 * folder dedupe. The platform-neutral engine itself is exported from `@photosync/client`.
 */
export { captureTimeMs } from './capture-time.ts';
export { dedupeFolder, type DedupeGroupReport, type DedupeOptions, type DedupeReport } from './dedupe-folder.ts';
export { sha256OfFile } from './file-hash.ts';
export { FileHashCache } from './hash-cache.ts';
export { nodeLocalFiles, type NodeLocalFilesOptions } from './local-files.ts';
export { FileResumeStore } from './resume-store.ts';
export { nodeRestoreTarget } from './restore-target.ts';
export { nodeUploadJournal } from '../vault-sync/node-upload-journal.ts';
export { nodeSizedBodySender, type NodeSizedBodySenderOptions } from './sized-body-sender.ts';
