/**
 * Streaming encryption of one file, in format v1 or v2, under a file key the caller keeps: the same key and
 * the same plaintext give the same ciphertext, hence the same chunk ids, so an interrupted upload resumes by
 * asking the server which chunks it already has. Built only from @photosync/crypto's exports (encryptChunks,
 * on two cores in Node; manifest sealing and ids); the output is exactly what
 * encryptFileV1/encryptFileV2 write, read back by the crypto package's strict readers in the tests.
 * [Note: repeatable file keys] A file key may be reused only for the very same plaintext: one (key, nonce)
 * pair over two different plaintexts would show the server their XOR. So a key is reused only when the file's
 * SHA-256 equals the one recorded with it; every chunk id is journaled before the chunk is sent (write-ahead),
 * and a resumed run stops before sending a chunk whose id differs from the one recorded at its position
 * (the file changed under the same hash-cache entry, or while it was read); the key is then discarded.
 * Must never hold more than a few chunks in memory, or let a raw file key outlive the file.
 */
import {
  b64ToBytes,
  bytesToB64,
  CHUNK_SIZE,
  encryptChunks,
  loadSodium,
  manifestIdV1Hex,
  manifestIdV2Hex,
  sealManifestV1,
  sealManifestV2,
} from '@photosync/crypto';
import type {
  ByteSource,
  ChunkLedger,
  EncryptedChunk,
  FileMetadataInput,
  ManifestV1,
  ManifestV2,
  SealedManifest,
  SodiumBackend,
} from '@photosync/crypto';
import type { VaultKey } from './open-vault.ts';

/** A file key wrapped by the master key, and the chunk nonce prefix (all base64, as in manifests). */
export interface FileKeyRecord {
  readonly wrapNonce: string;
  readonly wrappedFileKey: string;
  readonly baseNonce16: string;
}

export type VaultEncryptionPart = EncryptedChunk | SealedManifest<ManifestV1 | ManifestV2>;

const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const BASE_NONCE_BYTES = 16;

/** A fresh random file key and base nonce, wrapped by the vault's master key. */
export async function newFileKeyRecord(vault: VaultKey): Promise<FileKeyRecord> {
  const sodium = await loadSodium();
  const fileKey = sodium.randomBytes(KEY_BYTES);
  const wrapNonce = sodium.randomBytes(NONCE_BYTES);
  try {
    return {
      wrapNonce: bytesToB64(wrapNonce),
      wrappedFileKey: bytesToB64(sodium.secretboxSeal(fileKey, wrapNonce, vault.masterKey)),
      baseNonce16: bytesToB64(sodium.randomBytes(BASE_NONCE_BYTES)),
    };
  } finally {
    fileKey.fill(0);
  }
}

/** The raw file key of a record, or undefined when it does not unwrap with this vault's key. */
async function unwrapFileKey(sodium: SodiumBackend, vault: VaultKey, record: FileKeyRecord) {
  try {
    const key = sodium.secretboxOpen(b64ToBytes(record.wrappedFileKey), b64ToBytes(record.wrapNonce), vault.masterKey);
    return key?.length === KEY_BYTES && b64ToBytes(record.baseNonce16).length === BASE_NONCE_BYTES ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a stored record can be used with this vault (a journal may outlive a vault). */
export async function fileKeyRecordFits(vault: VaultKey, record: FileKeyRecord): Promise<boolean> {
  const key = await unwrapFileKey(await loadSodium(), vault, record);
  key?.fill(0);
  return key !== undefined;
}

/**
 * Encrypt `source` under `record`'s file key: yields each chunk as soon as it is sealed, then the sealed
 * manifest (v1 or v2 after the vault). An empty file is one empty chunk, as in the crypto package.
 */
export async function* encryptFileWithKey(
  vault: VaultKey,
  record: FileKeyRecord,
  metadata: FileMetadataInput,
  source: ByteSource,
): AsyncGenerator<VaultEncryptionPart, void, undefined> {
  const sodium = await loadSodium();
  const fileKey = await unwrapFileKey(sodium, vault, record);
  if (!fileKey) throw new TypeError('this file key record does not belong to the vault');
  let ledger: ChunkLedger;
  try {
    ledger = yield* encryptChunks(sodium, source, fileKey, b64ToBytes(record.baseNonce16));
  } finally {
    fileKey.fill(0);
  }
  yield await sealManifest(vault, record, metadata, ledger);
}

async function sealManifest(
  vault: VaultKey,
  record: FileKeyRecord,
  input: FileMetadataInput,
  ledger: ChunkLedger,
): Promise<SealedManifest<ManifestV1 | ManifestV2>> {
  const metadata = {
    assetId: input.assetId ?? input.filename,
    filename: input.filename,
    mediaType: input.mediaType,
    creationTime: input.creationTime ?? null,
    exifCaptureTime: input.exifCaptureTime ?? null,
    exifMake: input.exifMake ?? null,
    exifModel: input.exifModel ?? null,
    perceptualHash: input.perceptualHash ?? null,
  };
  const { wrapNonce, wrappedFileKey, baseNonce16 } = record;
  const fields = { ...ledger, baseNonce16, wrapNonce, wrappedFileKey };
  const chunkCount = ledger.chunkIds.length;
  if (vault.format === 'v1') {
    const manifest: ManifestV1 = { v: 1, ...metadata, ...fields };
    const manifestId = await manifestIdV1Hex(manifest.filename, manifest.originalSize);
    const encryptedManifest = await sealManifestV1(vault.masterKey, manifest);
    return { kind: 'manifest', manifestId, encryptedManifest, chunkCount, manifest };
  }
  const manifest: ManifestV2 = { v: 2, chunkSize: CHUNK_SIZE, ...metadata, ...fields };
  const manifestId = await manifestIdV2Hex(vault.masterKey, manifest.fileHash);
  const encryptedManifest = await sealManifestV2(vault.masterKey, manifest);
  return { kind: 'manifest', manifestId, encryptedManifest, chunkCount, manifest };
}
