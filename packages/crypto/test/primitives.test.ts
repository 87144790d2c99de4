/**
 * The small building blocks, against independent implementations: TypeScript SHA-256 and BLAKE2b against
 * node:crypto, base64/hex against Buffer, UUIDv5 against RFC 4122's example, chunk nonces, and the lazy,
 * bounded re-chunking that keeps a 10 GB file from needing 10 GB of memory.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blake2b } from '../src/blake2b.ts';
import { sha256Bytes, createSha256Stream } from '../src/sha256.ts';
import {
  CHUNK_SIZE,
  InvalidArgument,
  b64ToBytes,
  bytesToB64,
  bytesToHex,
  chunkNonce,
  deriveMasterKeyV1,
  encryptFileV1,
  hexToBytes,
  rechunk,
  uuidV5,
} from '../src/index.ts';
import { READ_AHEAD_CHUNKS } from '../src/encrypt-chunks.node.ts';
import { collect, inPieces, patternBytes } from './helpers.ts';

const LENGTHS = [0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 1000, 100_003];

describe('primitives', () => {
  it('TypeScript SHA-256 matches node:crypto, one-shot and streamed', async () => {
    for (const length of LENGTHS) {
      const data = patternBytes(length, length + 1);
      const expected = createHash('sha256').update(data).digest('hex');
      expect(bytesToHex(sha256Bytes(data))).toBe(expected);
      const stream = createSha256Stream();
      for await (const piece of inPieces(data, [7, 64, 1, 200])) stream.update(piece);
      expect(bytesToHex(stream.digest())).toBe(expected);
    }
  });

  it('TypeScript BLAKE2b matches node:crypto', () => {
    for (const length of LENGTHS) {
      const data = patternBytes(length, length + 2);
      expect(bytesToHex(blake2b(data, 64))).toBe(createHash('blake2b512').update(data).digest('hex'));
    }
  });

  it('base64 and hex match Buffer and reject malformed input', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 31, 32, 33]) {
      const data = patternBytes(length, length + 3);
      const b64 = Buffer.from(data).toString('base64');
      expect(bytesToB64(data)).toBe(b64);
      expect(b64ToBytes(b64)).toEqual(data);
      expect(hexToBytes(bytesToHex(data))).toEqual(data);
    }
    for (const bad of ['A', 'AB=C', 'A===', '$$$$', 'QQ==QQ==', 'QUJD\n']) {
      expect(() => b64ToBytes(bad)).toThrow(InvalidArgument);
    }
    expect(() => hexToBytes('abc')).toThrow(InvalidArgument);
    expect(() => hexToBytes('zz')).toThrow(InvalidArgument);
  });

  it('UUIDv5 gives RFC 4122 answers', async () => {
    const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    expect(await uuidV5('www.example.com', dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('chunk nonces are baseNonce16 followed by the index as uint64 little-endian', () => {
    const base = patternBytes(16, 4);
    expect(bytesToHex(chunkNonce(base, 0))).toBe(`${bytesToHex(base)}0000000000000000`);
    expect(bytesToHex(chunkNonce(base, 258))).toBe(`${bytesToHex(base)}0201000000000000`);
    expect(bytesToHex(chunkNonce(base, 2 ** 32 + 1))).toBe(`${bytesToHex(base)}0100000001000000`);
    expect(() => chunkNonce(base, -1)).toThrow(InvalidArgument);
    expect(() => chunkNonce(base.subarray(1), 0)).toThrow(InvalidArgument);
  });

  it('re-chunks any piece sizes into 2 MiB chunks', async () => {
    const data = patternBytes(2 * CHUNK_SIZE + 3, 5);
    for (const sizes of [[1_000_000], [CHUNK_SIZE], [CHUNK_SIZE + 1, 7], [data.length]]) {
      const lengths: number[] = [];
      let offset = 0;
      for await (const chunk of rechunk(inPieces(data, sizes))) {
        expect(Buffer.from(chunk).equals(Buffer.from(data.subarray(offset, offset + chunk.length)))).toBe(true);
        offset += chunk.length;
        lengths.push(chunk.length);
      }
      expect(lengths).toEqual([CHUNK_SIZE, CHUNK_SIZE, 3]);
    }
    expect(await collect(rechunk([]))).toEqual([]);
    await expect(collect(rechunk(['text' as unknown as Uint8Array]))).rejects.toBeInstanceOf(InvalidArgument);
  });

  it('encryption pulls input lazily: an endless source yields chunks without being read to the end', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled += 65_536;
        yield new Uint8Array(65_536);
      }
    }
    const masterKey = await deriveMasterKeyV1('lazy@example.com', 'pw');
    const parts = encryptFileV1(masterKey, { filename: 'endless.bin', mediaType: 'video' }, endless());
    let chunks = 0;
    for await (const part of parts) {
      expect(part.kind).toBe('chunk');
      if (++chunks === 3) break;
    }
    // Three chunks handed out, at most READ_AHEAD_CHUNKS more read (sealed or sealing), one piece buffered.
    expect(pulled).toBeLessThanOrEqual((3 + READ_AHEAD_CHUNKS) * CHUNK_SIZE + 65_536);
  });
});
