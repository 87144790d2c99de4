/**
 * The `encryptedManifest` string the server stores: a JSON envelope around a secretbox of the manifest JSON.
 *   v1: {"manifestNonce": b64(24 random bytes), "manifestBox": b64(secretbox(utf8(json), nonce, key))}
 *   v2: {"v":2, "chunkIds":[...], "manifestNonce", "manifestBox"} — chunk ids in clear for server-side
 *       reference counting; readers check them against the sealed copy.
 * Must never return manifest JSON whose MAC did not verify.
 */
import type { SodiumBackend } from './backend.ts';
import { SECRETBOX_KEY_BYTES, SECRETBOX_NONCE_BYTES } from './backend.ts';
import { b64ToBytes, bytesToB64, isSha256Hex, requireLength, utf8Bytes, utf8Text } from './encoding.ts';
import { InvalidArgument, ManifestInvalid, ManifestTampered, UnsupportedFormat } from './errors.ts';
import type { JsonObject } from './manifest-fields.ts';
import { parseJsonObject } from './manifest-fields.ts';

export type EnvelopeVersion = 1 | 2;

interface EnvelopeParts {
  readonly version: EnvelopeVersion;
  readonly declaredChunkIds: string[] | null;
  readonly nonce: Uint8Array;
  readonly box: Uint8Array;
}

function readEnvelope(encryptedManifest: string): EnvelopeParts {
  const json = parseJsonObject(encryptedManifest, 'encryptedManifest');
  const version = json.v ?? 1;
  if (version !== 1 && version !== 2)
    throw new UnsupportedFormat(`unknown manifest envelope version ${JSON.stringify(version)}`);
  const { manifestNonce, manifestBox, chunkIds } = json;
  if (typeof manifestNonce !== 'string' || typeof manifestBox !== 'string') {
    throw new ManifestInvalid('encryptedManifest needs string manifestNonce and manifestBox');
  }
  let declaredChunkIds: string[] | null = null;
  if (version === 2) {
    if (!Array.isArray(chunkIds) || !chunkIds.every(isSha256Hex)) {
      throw new ManifestInvalid('a v2 envelope must declare its chunkIds');
    }
    declaredChunkIds = chunkIds;
  }
  try {
    return { version, declaredChunkIds, nonce: b64ToBytes(manifestNonce), box: b64ToBytes(manifestBox) };
  } catch {
    throw new ManifestInvalid('encryptedManifest holds invalid base64');
  }
}

/** Which format wrote this `encryptedManifest` (readable without any key). */
export function envelopeVersion(encryptedManifest: string): EnvelopeVersion {
  return readEnvelope(encryptedManifest).version;
}

/**
 * The chunk ids a v2 envelope declares in clear (for server-side reference counting); `null` for v1,
 * whose chunk ids are only inside the sealed manifest. Readable without any key; not authenticated.
 */
export function declaredChunkIds(encryptedManifest: string): string[] | null {
  return readEnvelope(encryptedManifest).declaredChunkIds;
}

/** Seal manifest JSON into an envelope string. `chunkIds` makes it a v2 envelope. */
export function sealEnvelope(
  sodium: SodiumBackend,
  key: Uint8Array,
  manifestJson: string,
  v2ChunkIds?: readonly string[],
): string {
  requireLength(key, SECRETBOX_KEY_BYTES, 'manifest key');
  const nonce = sodium.randomBytes(SECRETBOX_NONCE_BYTES);
  const box = sodium.secretboxSeal(utf8Bytes(manifestJson), nonce, key);
  const sealed = { manifestNonce: bytesToB64(nonce), manifestBox: bytesToB64(box) };
  return JSON.stringify(v2ChunkIds ? { v: 2, chunkIds: v2ChunkIds, ...sealed } : sealed);
}

/** Open an envelope of the given version: the authenticated manifest JSON object and the clear chunk ids. */
export function openEnvelope(
  sodium: SodiumBackend,
  key: Uint8Array,
  encryptedManifest: string,
  expected: EnvelopeVersion,
): { readonly manifest: JsonObject; readonly declaredChunkIds: string[] | null } {
  requireLength(key, SECRETBOX_KEY_BYTES, 'manifest key');
  const parts = readEnvelope(encryptedManifest);
  if (parts.version !== expected) {
    throw new UnsupportedFormat(`expected a v${expected} manifest envelope, got v${parts.version}`);
  }
  const plaintext =
    parts.nonce.length === SECRETBOX_NONCE_BYTES ? sodium.secretboxOpen(parts.box, parts.nonce, key) : null;
  if (!plaintext) throw new ManifestTampered('The manifest does not open with this key (wrong key or modified)');
  let text: string;
  try {
    text = utf8Text(plaintext);
  } catch (error) {
    if (error instanceof InvalidArgument) throw new ManifestInvalid('manifest is not UTF-8');
    throw error;
  }
  return { manifest: parseJsonObject(text, 'manifest'), declaredChunkIds: parts.declaredChunkIds };
}
