/**
 * The BlobStore port: where the bytes of photos, videos and vault chunks live.
 *
 * Writes are two-phase so that nothing half-written ever counts as stored:
 * `stage()` streams bytes to a private staging area while hashing them and makes them durable;
 * `stageFile()` does the same for a complete local file (a finished resumable upload), linking it instead of
 * copying where it can; `commit()` publishes a staged blob under its final key atomically and never
 * overwrites an existing key.
 * A crash before `commit()` leaves only staging leftovers, which `cleanStaging()` removes.
 * Implementations: fs (./fs-blob-store.ts); S3 follows in the scale-out work. Both must pass ../test/conformance.ts.
 */
import type { Readable } from 'node:stream';

/** Bytes that reached durable staging, not yet visible under any key. */
export interface StagedBlob {
  readonly stagingId: string;
  readonly size: number;
  /** Lowercase hex SHA-256 of the bytes, computed while they streamed in. */
  readonly sha256: string;
}

export interface StageOptions {
  /** Refuse (BlobTooLargeError) once more than this many bytes arrive. */
  readonly maxBytes?: number;
}

export interface ByteRange {
  /** First byte, inclusive. */
  readonly start: number;
  /** Last byte, inclusive. */
  readonly end: number;
}

export interface BlobInfo {
  readonly key: string;
  readonly size: number;
  readonly modifiedAt: Date;
}

export interface BlobStore {
  stage(source: Readable | AsyncIterable<Uint8Array>, options?: StageOptions): Promise<StagedBlob>;
  /**
   * Stage a complete local file: hashed while read, made durable, and staged without a second copy where the
   * backend allows it (fs: a hard link on the same filesystem, else a copy). `path` itself is left as it is;
   * its owner removes it once the blob is committed, so that a crash before the commit loses nothing. Nobody
   * may write to `path` meanwhile.
   */
  stageFile(path: string, options?: StageOptions): Promise<StagedBlob>;
  /** Publish a staged blob under `key`. Throws BlobExistsError (and keeps the staged blob) if `key` is taken. */
  commit(staged: StagedBlob, key: string): Promise<void>;
  /**
   * Forget a staged blob; callers call it once for every staged blob, committed or not (in a `finally`).
   * Never throws for an unknown or already discarded blob.
   */
  discard(staged: StagedBlob): Promise<void>;
  /** Stream a blob, or one inclusive byte range of it. Throws BlobNotFoundError. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Size and time of a blob, or undefined when there is none. */
  stat(key: string): Promise<BlobInfo | undefined>;
  /** Remove a blob; true when it existed. */
  delete(key: string): Promise<boolean>;
  /** Remove every blob whose key starts with `prefix/`; returns how many were removed. */
  deletePrefix(prefix: string): Promise<number>;
  /** Every blob under `prefix/` (one level of names), in no particular order. */
  list(prefix: string): AsyncIterable<BlobInfo>;
  /**
   * Remove staging leftovers older than `olderThanMs` (0 = all); returns how many. Never those of another
   * process that may still be writing them (fs: [Note: staging owners]).
   */
  cleanStaging(olderThanMs: number): Promise<number>;
  /** Free and total bytes where blobs are written, when the backend can tell. */
  capacity(): Promise<{ freeBytes: number; totalBytes: number } | undefined>;
}

export class BlobStoreError extends Error {
  override readonly name: string = 'BlobStoreError';
}
export class BlobExistsError extends BlobStoreError {
  override readonly name = 'BlobExistsError';
}
export class BlobNotFoundError extends BlobStoreError {
  override readonly name = 'BlobNotFoundError';
}
export class BlobTooLargeError extends BlobStoreError {
  override readonly name = 'BlobTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`Blob larger than ${maxBytes} bytes`);
  }
}
/** The disk (or quota of the backend) is full. */
export class StorageFullError extends BlobStoreError {
  override readonly name = 'StorageFullError';
}
/** A key that could escape its namespace (separators, `..`, NUL, empty). */
export class InvalidKeyError extends BlobStoreError {
  override readonly name = 'InvalidKeyError';
}

const FORBIDDEN_IN_SEGMENT = /[/\\\0]/;

/** Split a key into its segments, refusing anything that could address outside the store. */
export function keySegments(key: string): string[] {
  const segments = key.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || FORBIDDEN_IN_SEGMENT.test(segment)) {
      throw new InvalidKeyError(`Invalid blob key: ${JSON.stringify(key)}`);
    }
  }
  return segments;
}
