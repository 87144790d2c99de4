/**
 * Format v2 manifests: the v1 fields plus `v: 2` and `chunkSize`, sealed with the master key into a v2
 * envelope that also declares the chunk ids in clear (for server-side reference counting). The manifest id
 * is keyed — hex(HMAC-SHA256(idKey, "file:" + fileHash)) with idKey = HMAC-SHA256(masterKey,
 * "photosync/v2/manifest-id") — so the server cannot test whether someone holds a known file, and
 * identical content gets the same id (a duplicate). Must never accept a manifest whose box, declared chunk
 * ids or manifest id do not match.
 */
import { loadSodium } from '#sodium';
import { CHUNK_SIZE } from '../chunk-cipher.ts';
import { bytesToHex, isSha256Hex, utf8Bytes } from '../encoding.ts';
import { openEnvelope, sealEnvelope } from '../envelope.ts';
import { InvalidArgument, ManifestInvalid } from '../errors.ts';
import type { ChunkFields, FileMetadata, JsonObject } from '../manifest-fields.ts';
import { readChunkFields, readMetadata } from '../manifest-fields.ts';
import { hmacSha256 } from '../webcrypto.ts';

/** A v2 manifest as stored inside its box. */
export interface ManifestV2 extends FileMetadata, ChunkFields {
  readonly v: 2;
  /** Plaintext bytes per chunk (every chunk but the last); always CHUNK_SIZE today. */
  readonly chunkSize: number;
}

/** A manifest as the server returns it (`GET /api/cloud/manifests/:id`). */
export interface StoredManifest {
  readonly manifestId: string;
  readonly encryptedManifest: string;
}

const MANIFEST_ID_CONTEXT = 'photosync/v2/manifest-id';

/** The keyed manifest id of a file with this content (SHA-256 hex of the plaintext). */
export async function manifestIdV2Hex(masterKey: Uint8Array, fileHashHex: string): Promise<string> {
  if (!isSha256Hex(fileHashHex)) throw new InvalidArgument('fileHash must be lowercase SHA-256 hex');
  const idKey = await hmacSha256(masterKey, utf8Bytes(MANIFEST_ID_CONTEXT));
  try {
    return bytesToHex(await hmacSha256(idKey, utf8Bytes(`file:${fileHashHex}`)));
  } finally {
    idKey.fill(0);
  }
}

export function manifestV2Json(manifest: ManifestV2): string {
  const { v: _v, chunkSize, ...rest } = manifest;
  return JSON.stringify({ v: 2, chunkSize, ...rest });
}

/** Validate authenticated v2 manifest JSON against the chunk ids its envelope declared. */
export function readManifestV2(json: JsonObject, declaredChunkIds: readonly string[]): ManifestV2 {
  if (json.v !== 2) throw new ManifestInvalid('not a v2 manifest');
  if (json.chunkSize !== CHUNK_SIZE) throw new ManifestInvalid(`v2 chunkSize must be ${CHUNK_SIZE}`);
  const fields = readChunkFields(json);
  const { chunkIds, chunkSizes, originalSize } = fields;
  const lastIndex = chunkSizes.length - 1;
  const wellCut =
    chunkSizes.length > 0 &&
    chunkSizes.every((size, i) => (i < lastIndex ? size === CHUNK_SIZE : size > 0 || originalSize === 0));
  if (!wellCut) throw new ManifestInvalid('v2 chunks must be full 2 MiB chunks and one last, non-empty chunk');
  const sameIds = declaredChunkIds.length === chunkIds.length && chunkIds.every((id, i) => id === declaredChunkIds[i]);
  if (!sameIds) throw new ManifestInvalid('the envelope declares other chunk ids than the sealed manifest');
  return { v: 2, chunkSize: CHUNK_SIZE, ...readMetadata(json), ...fields };
}

/** Seal a v2 manifest with the master key: the `encryptedManifest` string to store. */
export async function sealManifestV2(masterKey: Uint8Array, manifest: ManifestV2): Promise<string> {
  return sealEnvelope(await loadSodium(), masterKey, manifestV2Json(manifest), manifest.chunkIds);
}

/**
 * Open a stored v2 manifest: authenticates the box, checks the declared chunk ids and that `manifestId` is
 * this content's keyed id (a server cannot pass one file's manifest off under another id).
 */
export async function openManifestV2(masterKey: Uint8Array, stored: StoredManifest): Promise<ManifestV2> {
  const { manifest, declaredChunkIds } = openEnvelope(await loadSodium(), masterKey, stored.encryptedManifest, 2);
  const opened = readManifestV2(manifest, declaredChunkIds ?? []);
  if ((await manifestIdV2Hex(masterKey, opened.fileHash)) !== stored.manifestId) {
    throw new ManifestInvalid('the manifest is stored under an id that is not its own');
  }
  return opened;
}
