/**
 * Streaming encryption of one file in format v2: chunks out as they are sealed (same cipher and chunking as
 * v1), then the v2 manifest under its keyed id. Must never hold more than a couple of chunks in memory, and
 * must never let a file key outlive the file.
 */
import { encryptChunks } from '#encrypt-chunks';
import { loadSodium } from '#sodium';
import { CHUNK_SIZE, newWrappedFileKey } from '../chunk-cipher.ts';
import type { ByteSource, EncryptedChunk, SealedManifest } from '../chunk-stream.ts';
import { sealEnvelope } from '../envelope.ts';
import type { FileMetadataInput } from '../manifest-fields.ts';
import { metadataFromInput } from '../manifest-fields.ts';
import type { ManifestV2 } from './manifest.ts';
import { manifestIdV2Hex, manifestV2Json } from './manifest.ts';

/**
 * Encrypt `source` with the v2 master key. Yields every chunk (upload each under its chunkId), then the
 * sealed manifest (store it once all chunks are stored). Same loop as encryptFileV1.
 */
export async function* encryptFileV2(
  masterKey: Uint8Array,
  metadata: FileMetadataInput,
  source: ByteSource,
): AsyncGenerator<EncryptedChunk | SealedManifest<ManifestV2>, void, undefined> {
  const sodium = await loadSodium();
  const key = newWrappedFileKey(sodium, masterKey);
  try {
    const ledger = yield* encryptChunks(sodium, source, key.fileKey, key.baseNonce16);
    const manifest: ManifestV2 = {
      v: 2,
      chunkSize: CHUNK_SIZE,
      ...metadataFromInput(metadata),
      originalSize: ledger.originalSize,
      baseNonce16: key.baseNonce16B64,
      wrapNonce: key.wrapNonceB64,
      wrappedFileKey: key.wrappedFileKeyB64,
      chunkIds: ledger.chunkIds,
      chunkSizes: ledger.chunkSizes,
      fileHash: ledger.fileHash,
    };
    yield {
      kind: 'manifest',
      manifestId: await manifestIdV2Hex(masterKey, ledger.fileHash),
      encryptedManifest: sealEnvelope(sodium, masterKey, manifestV2Json(manifest), manifest.chunkIds),
      chunkCount: ledger.chunkIds.length,
      manifest,
    };
  } finally {
    key.fileKey.fill(0);
  }
}
