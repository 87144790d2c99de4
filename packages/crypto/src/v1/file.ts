/**
 * Streaming encryption of one file in format v1: chunks out as they are sealed, the sealed manifest last.
 * Must never hold more than a couple of chunks in memory, and must never let a file key outlive the file.
 */
import { encryptChunks } from '#encrypt-chunks';
import { loadSodium } from '#sodium';
import { newWrappedFileKey } from '../chunk-cipher.ts';
import type { ByteSource, EncryptedChunk, SealedManifest } from '../chunk-stream.ts';
import { sealEnvelope } from '../envelope.ts';
import type { FileMetadataInput } from '../manifest-fields.ts';
import { metadataFromInput } from '../manifest-fields.ts';
import { manifestIdV1Hex } from './keys.ts';
import type { ManifestV1 } from './manifest.ts';
import { manifestV1Json } from './manifest.ts';

/**
 * Encrypt `source` for the v1 store with the PBKDF2 master key. Yields every chunk (upload each under its
 * chunkId) and finally the sealed manifest (POST it once all chunks are stored):
 *
 *   for await (const part of encryptFileV1(masterKey, { filename, mediaType: 'photo' }, stream)) {
 *     if (part.kind === 'chunk') await putChunk(part.chunkId, part.ciphertext);
 *     else await putManifest(part.manifestId, part.encryptedManifest, part.chunkCount);
 *   }
 */
export async function* encryptFileV1(
  masterKey: Uint8Array,
  metadata: FileMetadataInput,
  source: ByteSource,
): AsyncGenerator<EncryptedChunk | SealedManifest<ManifestV1>, void, undefined> {
  const sodium = await loadSodium();
  const key = newWrappedFileKey(sodium, masterKey);
  try {
    const ledger = yield* encryptChunks(sodium, source, key.fileKey, key.baseNonce16);
    const info = metadataFromInput(metadata);
    const manifest: ManifestV1 = {
      v: 1,
      ...info,
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
      manifestId: await manifestIdV1Hex(info.filename, ledger.originalSize),
      encryptedManifest: sealEnvelope(sodium, masterKey, manifestV1Json(manifest)),
      chunkCount: ledger.chunkIds.length,
      manifest,
    };
  } finally {
    key.fileKey.fill(0);
  }
}
