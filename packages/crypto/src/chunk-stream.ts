/**
 * Streaming encryption and verified decryption of a whole file as a sequence of 2 MiB chunks, shared by
 * formats v1 and v2. Memory stays bounded by a couple of chunks whatever the file size.
 * Decryption must never yield a chunk before its id, size, position and MAC have been verified; a caller
 * should still treat the output as committed only once the generator finishes (it checks count and fileHash
 * last), e.g. by writing to a temporary file and renaming it on success.
 */
import { loadSodium } from '#sodium';
import type { SodiumBackend } from './backend.ts';
import { CHUNK_SIZE, openChunk, sealChunk, unwrapFileKeyB64 } from './chunk-cipher.ts';
import { b64ToBytes, bytesToHex } from './encoding.ts';
import { ChunkCountMismatch, ChunkOutOfOrder, ChunkTampered, FileHashMismatch, InvalidArgument } from './errors.ts';
import type { ChunkFields } from './manifest-fields.ts';

/** Plaintext or ciphertext pieces, e.g. a Node Readable, a web ReadableStream or an array. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** One encrypted chunk, ready to upload as `POST /api/cloud/chunks` with `X-Chunk-Id: chunkId`. */
export interface EncryptedChunk {
  readonly kind: 'chunk';
  readonly index: number;
  readonly chunkId: string;
  readonly ciphertext: Uint8Array;
  readonly plainSize: number;
  /**
   * Optional: once the chunk is stored (and will not be sent again), hand its memory back for a later chunk.
   * `ciphertext` is empty from then on. Node's pipeline offers it; calling it is never required.
   */
  readonly release?: () => void;
}

/** The last part of an encryption: the body of POST /api/cloud/manifests, and the manifest it seals. */
export interface SealedManifest<M> {
  readonly kind: 'manifest';
  readonly manifestId: string;
  readonly encryptedManifest: string;
  readonly chunkCount: number;
  /** The manifest as sealed, for the caller's own records; never send it to the server in clear. */
  readonly manifest: M;
}

/** What the encryption pass learned about the file, for its manifest. */
export interface ChunkLedger {
  readonly chunkIds: string[];
  readonly chunkSizes: number[];
  readonly originalSize: number;
  readonly fileHash: string;
}

/** What decryption verifies against; taken from an authenticated manifest. */
export interface ChunkPlan {
  readonly chunkIds: readonly string[];
  readonly chunkSizes: readonly number[];
  readonly fileHash: string;
  readonly fileKey: Uint8Array;
  readonly baseNonce16: Uint8Array;
}

export function requireBytes(piece: unknown): Uint8Array {
  if (!(piece instanceof Uint8Array)) throw new InvalidArgument('byte sources must yield Uint8Array pieces');
  return piece;
}

/**
 * Re-cut arbitrary pieces into `size`-byte chunks (the last one shorter, none empty). A yielded chunk may
 * be a view of the caller's piece or of a reused buffer: it is valid only until the next iteration step.
 */
export async function* rechunk(source: ByteSource, size = CHUNK_SIZE): AsyncGenerator<Uint8Array, void, undefined> {
  const buffer = new Uint8Array(size);
  let filled = 0;
  for await (const raw of source) {
    const piece = requireBytes(raw);
    let offset = 0;
    while (offset < piece.length) {
      if (filled === 0 && piece.length - offset >= size) {
        yield piece.subarray(offset, offset + size); // already aligned: no copy
        offset += size;
        continue;
      }
      const take = Math.min(size - filled, piece.length - offset);
      buffer.set(piece.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === size) {
        yield buffer;
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

/**
 * Encrypt a plaintext stream chunk by chunk, yielding each chunk as soon as it is sealed and returning the
 * ledger. An empty file becomes one empty chunk, so every manifest has at least one (the server refuses
 * `chunkCount <= 0`).
 */
export async function* encryptChunks(
  sodium: SodiumBackend,
  source: ByteSource,
  fileKey: Uint8Array,
  baseNonce16: Uint8Array,
): AsyncGenerator<EncryptedChunk, ChunkLedger, undefined> {
  const fileHash = sodium.createSha256();
  const chunkIds: string[] = [];
  const chunkSizes: number[] = [];
  let originalSize = 0;
  // Seal synchronously (the plaintext view is only valid until the next pull), but let the chunk id's
  // SHA-256 run off the main thread while the next chunk is sealed: one chunk in flight at most.
  const seal = (plaintext: Uint8Array): Promise<EncryptedChunk> => {
    const index = chunkSizes.length;
    fileHash.update(plaintext);
    const ciphertext = sealChunk(sodium, fileKey, baseNonce16, index, plaintext);
    chunkSizes.push(plaintext.length);
    originalSize += plaintext.length;
    const plainSize = plaintext.length;
    return sodium.sha256(ciphertext).then((digest) => {
      const chunkId = bytesToHex(digest);
      chunkIds[index] = chunkId;
      return { kind: 'chunk', index, chunkId, ciphertext, plainSize };
    });
  };
  let inFlight: Promise<EncryptedChunk> | undefined;
  for await (const plaintext of rechunk(source)) {
    const next = seal(plaintext);
    next.catch(() => undefined); // observed below; never an unhandled rejection if the consumer stops early
    if (inFlight) yield await inFlight;
    inFlight = next;
  }
  inFlight ??= seal(new Uint8Array(0));
  yield await inFlight;
  return { chunkIds, chunkSizes, originalSize, fileHash: bytesToHex(fileHash.digest()) };
}

/** Pair each ciphertext with its SHA-256, hashing one chunk ahead (off the main thread) of the consumer. */
async function* withChunkIds(sodium: SodiumBackend, ciphertexts: ByteSource) {
  let inFlight: Promise<{ ciphertext: Uint8Array; chunkId: string }> | undefined;
  for await (const raw of ciphertexts) {
    const ciphertext = requireBytes(raw);
    const next = sodium.sha256(ciphertext).then((digest) => ({ ciphertext, chunkId: bytesToHex(digest) }));
    next.catch(() => undefined); // observed below; never an unhandled rejection if the consumer stops early
    if (inFlight) yield await inFlight;
    inFlight = next;
  }
  if (inFlight) yield await inFlight;
}

/**
 * Decrypt ciphertext chunks given in manifest order. Each chunk is checked against the manifest's id for its
 * position (SHA-256), its recorded size and its MAC before it is yielded; the count and the whole-file hash
 * are checked at the end. Throws ChunkTampered, ChunkOutOfOrder, ChunkCountMismatch or FileHashMismatch.
 * Reads one ciphertext ahead of what it yields.
 */
export async function* decryptChunks(
  sodium: SodiumBackend,
  plan: ChunkPlan,
  ciphertexts: ByteSource,
): AsyncGenerator<Uint8Array, void, undefined> {
  const expected = plan.chunkIds.length;
  const positionOf = new Map(plan.chunkIds.map((id, index) => [id, index]));
  const fileHash = sodium.createSha256();
  let index = 0;
  for await (const { ciphertext, chunkId } of withChunkIds(sodium, ciphertexts)) {
    if (index >= expected) throw new ChunkCountMismatch(expected, index + 1);
    if (chunkId !== plan.chunkIds[index]) {
      const belongsAt = positionOf.get(chunkId);
      if (belongsAt !== undefined) throw new ChunkOutOfOrder(index, belongsAt);
      throw new ChunkTampered(index, 'its SHA-256 is not the chunk id the manifest lists');
    }
    const plaintext = openChunk(sodium, plan.fileKey, plan.baseNonce16, index, ciphertext);
    if (plaintext.length !== plan.chunkSizes[index]) {
      throw new ChunkTampered(index, `holds ${plaintext.length} bytes, the manifest says ${plan.chunkSizes[index]}`);
    }
    fileHash.update(plaintext);
    index++;
    yield plaintext;
  }
  if (index !== expected) throw new ChunkCountMismatch(expected, index);
  if (bytesToHex(fileHash.digest()) !== plan.fileHash) throw new FileHashMismatch();
}

/**
 * Decrypt a file of either format from its opened manifest (`openManifestV1` / `openManifestV2`) and its
 * ciphertext chunks in manifest order. See decryptChunks for what is verified and when.
 */
export async function* decryptFile(
  masterKey: Uint8Array,
  manifest: ChunkFields,
  ciphertexts: ByteSource,
): AsyncGenerator<Uint8Array, void, undefined> {
  const sodium = await loadSodium();
  const fileKey = unwrapFileKeyB64(sodium, masterKey, manifest.wrapNonce, manifest.wrappedFileKey);
  try {
    const { chunkIds, chunkSizes, fileHash } = manifest;
    const baseNonce16 = b64ToBytes(manifest.baseNonce16);
    yield* decryptChunks(sodium, { chunkIds, chunkSizes, fileHash, fileKey, baseNonce16 }, ciphertexts);
  } finally {
    fileKey.fill(0);
  }
}
