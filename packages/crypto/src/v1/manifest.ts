/**
 * Format v1 manifests (PROTOCOL.md §4): the JSON fields and their order as existing phones write them, sealed
 * with the PBKDF2 master key into the v1 envelope. Readers accept the `size`, `modificationTime` and
 * `takenAt` aliases. Must never accept a manifest whose box does not authenticate.
 */
import { loadSodium } from '#sodium';
import { openEnvelope, sealEnvelope } from '../envelope.ts';
import { ManifestInvalid } from '../errors.ts';
import type { ChunkFields, FileMetadata, JsonObject } from '../manifest-fields.ts';
import { readChunkFields, readMetadata } from '../manifest-fields.ts';

/** A v1 manifest as stored inside its box (binary fields in base64, ids in hex). */
export interface ManifestV1 extends FileMetadata, ChunkFields {
  readonly v: 1;
}

/** The manifest JSON in the original client's field order. */
export function manifestV1Json(manifest: ManifestV1): string {
  return JSON.stringify({
    v: 1,
    assetId: manifest.assetId,
    filename: manifest.filename,
    mediaType: manifest.mediaType,
    originalSize: manifest.originalSize,
    creationTime: manifest.creationTime,
    exifCaptureTime: manifest.exifCaptureTime,
    exifMake: manifest.exifMake,
    exifModel: manifest.exifModel,
    baseNonce16: manifest.baseNonce16,
    wrapNonce: manifest.wrapNonce,
    wrappedFileKey: manifest.wrappedFileKey,
    chunkIds: manifest.chunkIds,
    chunkSizes: manifest.chunkSizes,
    fileHash: manifest.fileHash,
    perceptualHash: manifest.perceptualHash,
  });
}

/** Validate authenticated v1 manifest JSON (aliases resolved). */
export function readManifestV1(json: JsonObject): ManifestV1 {
  if (json.v !== undefined && json.v !== 1) throw new ManifestInvalid('not a v1 manifest');
  return { v: 1, ...readMetadata(json), ...readChunkFields(json) };
}

/** Seal a v1 manifest with the master key: the `encryptedManifest` string for POST /api/cloud/manifests. */
export async function sealManifestV1(masterKey: Uint8Array, manifest: ManifestV1): Promise<string> {
  return sealEnvelope(await loadSodium(), masterKey, manifestV1Json(manifest));
}

/** Open and validate a v1 `encryptedManifest`; throws ManifestTampered on a wrong key or modified bytes. */
export async function openManifestV1(masterKey: Uint8Array, encryptedManifest: string): Promise<ManifestV1> {
  const { manifest } = openEnvelope(await loadSodium(), masterKey, encryptedManifest, 1);
  return readManifestV1(manifest);
}
