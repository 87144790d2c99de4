export * from './blob-store.ts';
export { FsBlobStore } from './fs-blob-store.ts';
export { type HashedCopy } from './hash-file.ts';
export { GroupedFsync, type SyncPath } from './grouped-fsync.ts';
