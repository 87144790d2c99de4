/**
 * The fields v1 and v2 manifests share, and their validation once a manifest box has been opened:
 * descriptive metadata (read leniently, with the aliases older phones write) and the chunk/key fields
 * (read strictly: they drive decryption). Must never be applied to unauthenticated JSON as if it were trusted.
 */
import { SECRETBOX_KEY_BYTES, SECRETBOX_MAC_BYTES, SECRETBOX_NONCE_BYTES } from './backend.ts';
import { BASE_NONCE_BYTES } from './chunk-cipher.ts';
import { isB64OfLength, isSha256Hex } from './encoding.ts';
import { ManifestInvalid } from './errors.ts';

export type MediaType = 'photo' | 'video';
export type JsonObject = Record<string, unknown>;

/** Descriptive metadata sealed inside a manifest; the server never sees it. */
export interface FileMetadata {
  readonly assetId: string;
  readonly filename: string;
  /** "photo" or "video" when we write; other strings from other writers are kept as they are. */
  readonly mediaType: string;
  /** Milliseconds since the epoch. */
  readonly creationTime: number | null;
  readonly exifCaptureTime: number | string | null;
  readonly exifMake: string | null;
  readonly exifModel: string | null;
  readonly perceptualHash: string | null;
}

/** What a caller supplies to encrypt a file; everything but the name and media type is optional. */
export interface FileMetadataInput {
  readonly filename: string;
  readonly mediaType: MediaType;
  readonly assetId?: string;
  readonly creationTime?: number | null;
  readonly exifCaptureTime?: number | string | null;
  readonly exifMake?: string | null;
  readonly exifModel?: string | null;
  readonly perceptualHash?: string | null;
}

/** Chunk and key fields (base64 and hex, exactly as stored in the manifest JSON). */
export interface ChunkFields {
  readonly originalSize: number;
  readonly baseNonce16: string;
  readonly wrapNonce: string;
  readonly wrappedFileKey: string;
  readonly chunkIds: string[];
  readonly chunkSizes: number[];
  readonly fileHash: string;
}

export function metadataFromInput(input: FileMetadataInput): FileMetadata {
  return {
    assetId: input.assetId ?? input.filename,
    filename: input.filename,
    mediaType: input.mediaType,
    creationTime: input.creationTime ?? null,
    exifCaptureTime: input.exifCaptureTime ?? null,
    exifMake: input.exifMake ?? null,
    exifModel: input.exifModel ?? null,
    perceptualHash: input.perceptualHash ?? null,
  };
}

/** Parse JSON text that must be an object; ManifestInvalid otherwise. */
export function parseJsonObject(text: string, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ManifestInvalid(`${what} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ManifestInvalid(`${what} is not a JSON object`);
  }
  return value as JsonObject;
}

const stringOrNull = (value: unknown) => (typeof value === 'string' ? value : null);
const numberOrNull = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Metadata with the aliases readers must accept: size, modificationTime, takenAt. */
export function readMetadata(json: JsonObject): FileMetadata {
  if (typeof json.filename !== 'string') throw new ManifestInvalid('manifest has no filename');
  const captured = json.exifCaptureTime ?? json.takenAt;
  return {
    assetId: stringOrNull(json.assetId) ?? json.filename,
    filename: json.filename,
    mediaType: stringOrNull(json.mediaType) ?? 'photo',
    creationTime: numberOrNull(json.creationTime ?? json.modificationTime),
    exifCaptureTime: typeof captured === 'string' ? captured : numberOrNull(captured),
    exifMake: stringOrNull(json.exifMake),
    exifModel: stringOrNull(json.exifModel),
    perceptualHash: stringOrNull(json.perceptualHash),
  };
}

function b64Field(json: JsonObject, name: string, length: number): string {
  const value = json[name];
  if (!isB64OfLength(value, length))
    throw new ManifestInvalid(`manifest field ${name} must be ${length} bytes of base64`);
  return value;
}

const isSize = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Chunk and key fields, strictly: lengths, hex ids, sizes that add up to the original size. */
export function readChunkFields(json: JsonObject): ChunkFields {
  const { chunkIds, chunkSizes, fileHash } = json;
  const originalSize = json.originalSize ?? json.size;
  if (!Array.isArray(chunkIds) || !chunkIds.every(isSha256Hex)) {
    throw new ManifestInvalid('manifest chunkIds must be SHA-256 hex strings');
  }
  if (!Array.isArray(chunkSizes) || !chunkSizes.every(isSize) || chunkSizes.length !== chunkIds.length) {
    throw new ManifestInvalid('manifest chunkSizes must be one size per chunk id');
  }
  if (!isSize(originalSize) || chunkSizes.reduce((sum, size) => sum + size, 0) !== originalSize) {
    throw new ManifestInvalid('manifest originalSize must equal the sum of chunkSizes');
  }
  if (!isSha256Hex(fileHash)) throw new ManifestInvalid('manifest fileHash must be SHA-256 hex');
  return {
    originalSize,
    baseNonce16: b64Field(json, 'baseNonce16', BASE_NONCE_BYTES),
    wrapNonce: b64Field(json, 'wrapNonce', SECRETBOX_NONCE_BYTES),
    wrappedFileKey: b64Field(json, 'wrappedFileKey', SECRETBOX_KEY_BYTES + SECRETBOX_MAC_BYTES),
    chunkIds: [...chunkIds],
    chunkSizes: [...chunkSizes],
    fileHash,
  };
}
