/**
 * @photosync/crypto — the StealthCloud client-side formats: v1 (what existing phones read and write) and
 * v2 (ours), with streaming chunk encryption and verified decryption. The sodium library behind it is
 * chosen by export condition (sodium-native in Node, libsodium-wrappers in browsers and React Native).
 * This entry point must stay free of runtime-specific imports; see README.md for the formats.
 */
export type { Argon2Params, BackendName, SodiumBackend, Sha256Stream } from './backend.ts';
export { loadSodium } from '#sodium';

export * from './errors.ts';
export { arrayBufferBytes, bytesToB64, b64ToBytes, bytesToHex, hexToBytes } from './encoding.ts';

export { CHUNK_SIZE, chunkIdHex, chunkNonce, decryptChunkBytes, encryptChunkBytes } from './chunk-cipher.ts';
export type { ByteSource, ChunkLedger, EncryptedChunk, SealedManifest } from './chunk-stream.ts';
/** Chunks of a file under a key the caller keeps (two cores in Node); encryptFileV1/V2 wrap it with a manifest. */
export { encryptChunks } from '#encrypt-chunks';
export { decryptFile, rechunk } from './chunk-stream.ts';
export { declaredChunkIds, envelopeVersion } from './envelope.ts';
export type { EnvelopeVersion } from './envelope.ts';
export type { ChunkFields, FileMetadata, FileMetadataInput, MediaType } from './manifest-fields.ts';

// Format v1 (PROTOCOL.md §4)
export {
  V1_DEVICE_UUID_NAMESPACE,
  V1_PBKDF2_ITERATIONS,
  deriveMasterKeyV1,
  deviceUuidV1,
  manifestIdV1Hex,
  normalizeEmail,
  uuidV5,
} from './v1/keys.ts';
export type { ManifestV1 } from './v1/manifest.ts';
export { manifestV1Json, openManifestV1, readManifestV1, sealManifestV1 } from './v1/manifest.ts';
export { encryptFileV1 } from './v1/file.ts';

// Format v2 (DESIGN.md "StealthCloud format v2")
export type { KeyAttributes, WrappedKeyB64 } from './v2/key-attributes-schema.ts';
export { ARGON2_LIMITS, parseKeyAttributes } from './v2/key-attributes-schema.ts';
export type { KeyOptions, NewVault, RewrappedVault } from './v2/key-attributes.ts';
export {
  DEFAULT_ARGON2_PARAMS,
  changePassword,
  createVault,
  resetPasswordWithRecoveryWords,
  unlockWithPassword,
  unlockWithRecoveryWords,
} from './v2/key-attributes.ts';
export {
  RECOVERY_KEY_BYTES,
  RECOVERY_WORD_COUNT,
  recoveryKeyToWords,
  recoveryWordsToKey,
  splitRecoveryWords,
} from './v2/recovery-words.ts';
export { RECOVERY_WORDLIST } from './v2/wordlist.ts';
export type { ManifestV2, StoredManifest } from './v2/manifest.ts';
export { manifestIdV2Hex, manifestV2Json, openManifestV2, readManifestV2, sealManifestV2 } from './v2/manifest.ts';
export { encryptFileV2 } from './v2/file.ts';
