/**
 * Backing up one file into the vault: pick its file key (the journal's, when resuming the same content, else
 * a fresh one), stream-encrypt it, upload the chunks the server lacks, then store the manifest. Large files
 * are journaled write-ahead, window by window, so a killed run resumes from the chunks already stored
 * ([Note: repeatable file keys] in file-encryptor.ts).
 * Must never store a manifest before all its chunks, store one for bytes other than those hashed, or reuse a
 * file key for other bytes.
 */
import { CHUNK_SIZE } from '@photosync/crypto';
import type { EncryptedChunk, FileMetadataInput, ManifestV1, ManifestV2, SealedManifest } from '@photosync/crypto';
import type { PhotoSyncClient } from '../client.ts';
import { mediaTypeOfName } from '../sync/media-sniff.ts';
import { isAbortError, withRetry, type RetryOptions } from '../sync/retry.ts';
import type { LocalFile, LocalFiles } from '../sync/types.ts';
import { FileChunkUpload, type ChunkTally, type UploadSlots } from './chunk-uploader.ts';
import { encryptFileWithKey, fileKeyRecordFits, newFileKeyRecord, type FileKeyRecord } from './file-encryptor.ts';
import type { VaultKey } from './open-vault.ts';
import { resumableEntry, type UploadJournalEntry, type VaultUploadJournal } from './upload-journal.ts';
import { CannotReadFile, FileChangedDuringBackup } from './vault-errors.ts';

/** Files larger than this (more than two chunks) are journaled, so a killed run resumes them. */
export const JOURNAL_MIN_BYTES = 2 * CHUNK_SIZE;

export interface FileBackupDeps {
  readonly client: PhotoSyncClient;
  readonly vault: VaultKey;
  readonly files: LocalFiles;
  readonly journal: VaultUploadJournal;
  readonly slots: UploadSlots;
  readonly retry: RetryOptions;
  readonly tally: ChunkTally;
  /** Plaintext bytes stored (sent or found), for progress. */
  readonly onBytes: (plainBytes: number) => void;
  /** Manifest request bodies sent, for the report's bytesSent. */
  readonly onManifestBytes: (bytes: number) => void;
  readonly signal?: AbortSignal;
}

export interface FileBackupResult {
  /** True when the journal's key was reused (a resumed upload). */
  readonly resumed: boolean;
}

/** What the vault records about a local file (sealed in its manifest; the server never sees it). */
export function metadataOf(file: LocalFile): FileMetadataInput {
  const mediaType = file.mediaType ?? mediaTypeOfName(file.relativePath) ?? '';
  return {
    filename: file.relativePath,
    mediaType: mediaType.startsWith('video/') ? 'video' : 'photo',
    creationTime: Math.round(file.mtimeMs),
  };
}

/** Encrypt and store one file whose plaintext SHA-256 is `sha256`. Throws on any failure. */
export async function backupFile(deps: FileBackupDeps, file: LocalFile, sha256: string): Promise<FileBackupResult> {
  const { client, vault, journal } = deps;
  let entry = resumableEntry(journal, vault.format, file, sha256);
  if (entry && !(await fileKeyRecordFits(vault, entry.key))) entry = undefined;
  const key: FileKeyRecord = entry?.key ?? (await newFileKeyRecord(vault));
  const journaled = file.size > JOURNAL_MIN_BYTES;
  const previous = entry?.chunkIds ?? [];
  let current: UploadJournalEntry = entry ?? {
    format: vault.format,
    size: file.size,
    mtimeMs: file.mtimeMs,
    sha256,
    key,
    chunkIds: [],
  };

  const beforeSend = async (window: readonly EncryptedChunk[]): Promise<void> => {
    for (const chunk of window) {
      const recorded = previous[chunk.index];
      if (recorded !== undefined && recorded !== chunk.chunkId) throw new FileChangedDuringBackup();
    }
    const chunkIds = [...current.chunkIds];
    for (const chunk of window) chunkIds[chunk.index] = chunk.chunkId;
    current = { ...current, chunkIds };
    journal.set(file.path, current);
    await journal.flush();
  };
  const upload = new FileChunkUpload({
    client,
    slots: deps.slots,
    retry: deps.retry,
    tally: deps.tally,
    windowed: journaled,
    beforeSend,
    checkExisting: (window) => window.some((chunk) => chunk.index < previous.length),
    onChunkStored: deps.onBytes,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });

  let sealed: SealedManifest<ManifestV1 | ManifestV2> | undefined;
  try {
    for await (const part of encryptFileWithKey(vault, key, metadataOf(file), readOrTag(deps.files, file))) {
      if (part.kind === 'chunk') await upload.offer(part);
      else sealed = part;
    }
    await upload.finish();
  } catch (error) {
    await upload.abandon();
    if (error instanceof FileChangedDuringBackup) await forget(journal, file);
    throw error;
  }
  if (!sealed) throw new Error('encryption ended without a manifest');
  if (sealed.manifest.fileHash !== sha256) {
    await forget(journal, file);
    throw new FileChangedDuringBackup();
  }

  const body = {
    manifestId: sealed.manifestId,
    encryptedManifest: sealed.encryptedManifest,
    chunkCount: sealed.chunkCount,
    ...(vault.format === 'v2' ? { chunkIds: sealed.manifest.chunkIds } : {}),
  };
  const bodyBytes = new TextEncoder().encode(JSON.stringify(body)).byteLength;
  await withRetry(() => {
    deps.onManifestBytes(bodyBytes);
    return client.vault.putManifest(body);
  }, deps.retry);
  if (journaled) await forget(journal, file);
  return { resumed: entry !== undefined };
}

/** The file's bytes, with a read failure marked as this file's problem (not the run's). */
async function* readOrTag(files: LocalFiles, file: LocalFile): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    yield* files.read(file);
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new CannotReadFile(error);
  }
}

async function forget(journal: VaultUploadJournal, file: LocalFile): Promise<void> {
  journal.delete(file.path);
  await journal.flush();
}
