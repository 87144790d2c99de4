/**
 * Request bodies of the upload phases, made once in memory before anything is timed.
 * Photos: a pool of distinct random buffers (~3 MB each); upload `i` sends a 16-byte prefix naming `i`
 * followed by pool buffer `i mod size`, so every upload is different content (never a duplicate) while the
 * pool holds ~150 MB instead of 3 GB. The pool buffers are never modified, so requests in flight can share
 * them. The big upload repeats one random chunk from a generator. Vault chunks work like photos: a few random
 * ciphertext-sized buffers, each chunk made unique by its first 16 bytes, its id (SHA-256) computed up front.
 * Must never: give two uploads identical bytes, or allocate a buffer the size of the big upload.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';

const PREFIX_BYTES = 16;
const BIG_CHUNK_BYTES = 1024 * 1024;
/** Random buffers behind all vault chunks (each chunk differs from the others by its prefix). */
const CHUNK_VARIANTS = 8;

/** One photo upload: the chunks to write, in order, and their total length. */
export interface PhotoBody {
  readonly chunks: readonly Buffer[];
  readonly bytes: number;
}

export class PhotoPool {
  private readonly photos: Buffer[];
  /** Sets this run apart, so no upload repeats content from an earlier run either. */
  private readonly runTag = randomBytes(4).toString('hex');

  /** `count` random buffers of `averageBytes` ± 10%. */
  constructor(count: number, averageBytes: number) {
    const spread = Math.floor(averageBytes / 10);
    this.photos = Array.from({ length: count }, () =>
      randomBytes(averageBytes - spread + randomInt(0, 2 * spread + 1)),
    );
  }

  /** The body of upload number `index` (unique for every index). */
  body(index: number): PhotoBody {
    const photo = this.photos[index % this.photos.length];
    if (!photo) throw new Error('empty photo pool');
    const prefix = Buffer.from(`${this.runTag}${index.toString(16).padStart(8, '0')}`.slice(0, PREFIX_BYTES));
    return { chunks: [prefix, photo], bytes: prefix.byteLength + photo.byteLength };
  }

  /** Mean size of a body, in bytes. */
  averageBytes(): number {
    const total = this.photos.reduce((sum, photo) => sum + photo.byteLength, 0);
    return PREFIX_BYTES + total / this.photos.length;
  }
}

/** One vault chunk upload: its id (hex SHA-256 of the body) and the body's pieces. */
export interface ChunkBody extends PhotoBody {
  readonly chunkId: string;
}

/** `count` distinct ciphertext-like chunks of exactly `bytes`, built from a few shared random buffers. */
export class ChunkPool {
  private readonly runTag = randomBytes(4).toString('hex');
  private readonly tails: Buffer[];
  private readonly ids: string[];

  constructor(
    readonly count: number,
    readonly bytes: number,
  ) {
    this.tails = Array.from({ length: CHUNK_VARIANTS }, () => randomBytes(bytes - PREFIX_BYTES));
    this.ids = Array.from({ length: count }, (_, index) => {
      const hash = createHash('sha256');
      for (const piece of this.pieces(index)) hash.update(piece);
      return hash.digest('hex');
    });
  }

  private pieces(index: number): Buffer[] {
    const tail = this.tails[index % this.tails.length];
    if (!tail) throw new Error('empty chunk pool');
    return [Buffer.from(`${this.runTag}${index.toString(16).padStart(8, '0')}`.slice(0, PREFIX_BYTES)), tail];
  }

  body(index: number): ChunkBody {
    const id = this.ids[index];
    if (id === undefined) throw new Error(`chunk ${index} is outside the pool of ${this.count}`);
    return { chunkId: id, chunks: this.pieces(index), bytes: this.bytes };
  }
}

/** Exactly `totalBytes` of content, one reused 1 MiB chunk at a time. */
export function* bigBody(totalBytes: number): Generator<Buffer> {
  const chunk = randomBytes(BIG_CHUNK_BYTES);
  for (let sent = 0; sent < totalBytes; sent += chunk.byteLength) {
    yield totalBytes - sent >= chunk.byteLength ? chunk : chunk.subarray(0, totalBytes - sent);
  }
}

/** Tiny distinct bodies for filling a library: `bytes` long, unique per index. */
export function tinyBody(index: number, bytes: number, filler: Buffer): Buffer {
  const prefix = Buffer.from(`tiny-${index.toString().padStart(10, '0')}-`);
  return Buffer.concat([prefix, filler.subarray(0, Math.max(0, bytes - prefix.byteLength))]);
}
