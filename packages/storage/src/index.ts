export * from './blob-store.ts';
export { FsBlobStore } from './fs-blob-store.ts';
export { hashStream, type HashedCopy } from './hash-stream.ts';
export { GroupedFsync, type SyncPath } from './grouped-fsync.ts';
