/**
 * The shapes shared by every backup/restore flow (plain library and StealthCloud) and by every UI that shows
 * them (CLI, web, phone). Platform specifics sit behind the small ports below, so the engine runs on Node,
 * in a browser and in React Native.
 */

/** One file found on the device. */
export interface LocalFile {
  /** Absolute path (Node) or platform id (phone asset id, browser File name). */
  readonly path: string;
  /** Path relative to the scanned root, with `/` separators: what a restore recreates. */
  readonly relativePath: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Media type found by content sniffing (e.g. `image/heic`), when the adapter knows it. */
  readonly mediaType?: string;
}

/** Port: reading the device's files. */
export interface LocalFiles {
  /** Every photo/video under the roots (by extension and content sniffing), in a stable order. */
  list(roots: readonly string[]): AsyncIterable<LocalFile>;
  /** The bytes of a file, from `start` (for resuming) to the end. */
  read(file: LocalFile, start?: number): AsyncIterable<Uint8Array>;
  /**
   * Like `read`, but every chunk is read into the same buffer: a chunk is valid only until the next one is
   * asked for. Uploads use it when the platform has it (Node), so sending a library allocates nothing per
   * read; a request body made from it says so (`SizedBody.reusesChunks`).
   */
  readReusingBuffer?(file: LocalFile, start?: number): AsyncIterable<Uint8Array>;
  /**
   * Lowercase hex SHA-256 of the file's bytes, when the platform hashes natively (Node: node:crypto over a
   * read stream). Without it the engine hashes what `read` yields with the crypto package's streaming SHA-256.
   */
  sha256?(file: LocalFile, signal?: AbortSignal): Promise<string>;
}

/** Port: path+size+mtime → SHA-256, so an unchanged library is not re-hashed. */
export interface HashCache {
  get(file: LocalFile): string | undefined;
  /** Remember `file`'s hash (with what else the file says, e.g. its media type); the same again is no change. */
  set(file: LocalFile, sha256: string): void;
  /** Persist (atomically) what was learned; called at the end of a run and periodically. */
  flush(): Promise<void>;
}

/** Progress for any UI. `bytesPerSecond` and `etaSeconds` are smoothed estimates. */
export interface SyncProgress {
  readonly phase: 'scan' | 'hash' | 'check' | 'upload' | 'download' | 'verify' | 'done';
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly bytesPerSecond: number;
  readonly etaSeconds: number | undefined;
  readonly currentFile?: string;
}

export type ProgressListener = (progress: SyncProgress) => void;

export interface FailedFile {
  readonly path: string;
  readonly error: string;
}

export interface BackupReport {
  readonly mode: 'plain' | 'stealthcloud';
  readonly filesScanned: number;
  /** Files whose hash came from the cache (not re-read). */
  readonly filesHashedFromCache: number;
  readonly filesAlreadyStored: number;
  readonly filesUploaded: number;
  /** Bytes actually sent over the network in this run (request bodies). */
  readonly bytesSent: number;
  readonly failed: readonly FailedFile[];
}

export interface RestoreReport {
  readonly filesRestored: number;
  readonly filesSkippedIdentical: number;
  /** Files written under a suffixed name because a different local file had the name. */
  readonly filesRenamed: number;
  readonly bytesWritten: number;
  readonly failed: readonly FailedFile[];
}

/**
 * Port: where a resumable (tus) upload lives, per content SHA-256, so a killed process resumes from the
 * server's last acknowledged byte instead of starting over. Entries are removed once the upload finished.
 */
export interface ResumeStore {
  get(sha256: string): Promise<string | undefined>;
  set(sha256: string, uploadUrl: string): Promise<void>;
  delete(sha256: string): Promise<void>;
}

/** A file being written by a restore: bytes go to a temporary place until `commit`. */
export interface RestoreWrite {
  write(chunk: Uint8Array): Promise<void>;
  /** Make the bytes durable and visible under `name`; false (and nothing written) when `name` already exists. */
  commit(name: string): Promise<boolean>;
  /** Drop the temporary bytes. */
  discard(): Promise<void>;
}

/** Port: the folder a restore writes into. It never replaces an existing file. */
export interface RestoreTarget {
  /** Size of the file called `name`, or undefined when there is none. */
  sizeOf(name: string): Promise<number | undefined>;
  /** Lowercase hex SHA-256 of the existing file called `name`. */
  sha256Of(name: string): Promise<string>;
  create(): Promise<RestoreWrite>;
}
