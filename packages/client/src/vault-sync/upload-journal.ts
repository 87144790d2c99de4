/**
 * Port: the StealthCloud upload journal. For each large file being uploaded it remembers the (wrapped) file
 * key and the content hash, so a run killed half-way re-creates the same ciphertext next time and uploads
 * only the chunks the server lacks ([Note: repeatable file keys] in file-encryptor.ts). Entries are
 * removed once the file's manifest is stored. Platforms persist it their own way (a 0600 file in the CLI's
 * state dir: node-upload-journal.ts); `memoryUploadJournal` resumes only within one process.
 * Must never hold a raw key: file keys stay wrapped by the vault's master key, as in a manifest.
 */
import type { LocalFile } from '../sync/types.ts';
import type { FileKeyRecord } from './file-encryptor.ts';
import type { VaultFormat } from './open-vault.ts';

export interface UploadJournalEntry {
  readonly format: VaultFormat;
  readonly size: number;
  readonly mtimeMs: number;
  /** SHA-256 of the plaintext the key was first used for; the key is reused only for this content. */
  readonly sha256: string;
  readonly key: FileKeyRecord;
  /**
   * Write-ahead: the id of every chunk that may have been sent under this key, by index. A resumed run that
   * produces another id at one of these positions is reading other bytes and must stop ([Note: repeatable
   * file keys]).
   */
  readonly chunkIds: readonly string[];
}

export interface VaultUploadJournal {
  /** The entry for a local path, if any. */
  get(path: string): UploadJournalEntry | undefined;
  set(path: string, entry: UploadJournalEntry): void;
  delete(path: string): void;
  /** Persist what changed (atomically). Called before a journaled file's first chunk and at the end of a run. */
  flush(): Promise<void>;
}

/** The journal entry a file may resume from: same format, size, mtime and content hash. */
export function resumableEntry(
  journal: VaultUploadJournal,
  format: VaultFormat,
  file: LocalFile,
  sha256: string,
): UploadJournalEntry | undefined {
  const entry = journal.get(file.path);
  const fits =
    entry !== undefined &&
    entry.format === format &&
    entry.size === file.size &&
    entry.mtimeMs === file.mtimeMs &&
    entry.sha256 === sha256;
  return fits ? entry : undefined;
}

/** A journal kept in memory: resumes a file retried within the same process only. */
export function memoryUploadJournal(): VaultUploadJournal {
  const entries = new Map<string, UploadJournalEntry>();
  return {
    get: (path) => entries.get(path),
    set: (path, entry) => void entries.set(path, entry),
    delete: (path) => void entries.delete(path),
    flush: async () => undefined,
  };
}

/** Validate one entry read back from storage (a damaged journal must only cost a re-upload). */
export function readJournalEntry(value: unknown): UploadJournalEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Record<string, unknown>;
  const key = entry['key'] as Record<string, unknown> | null | undefined;
  const valid =
    (entry['format'] === 'v1' || entry['format'] === 'v2') &&
    Number.isSafeInteger(entry['size']) &&
    typeof entry['mtimeMs'] === 'number' &&
    typeof entry['sha256'] === 'string' &&
    Array.isArray(entry['chunkIds']) &&
    entry['chunkIds'].every((id) => typeof id === 'string') &&
    typeof key === 'object' &&
    key !== null &&
    typeof key['wrapNonce'] === 'string' &&
    typeof key['wrappedFileKey'] === 'string' &&
    typeof key['baseNonce16'] === 'string';
  return valid ? (value as UploadJournalEntry) : undefined;
}
