import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobTooLargeError } from '../src/index.ts';
import { OffThreadCopier } from '../src/off-thread-copy.ts';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** `bytes` in pieces of the given sizes, cycling, as a socket would deliver them. */
async function* pieces(bytes: Uint8Array, sizes: readonly number[]): AsyncIterable<Uint8Array> {
  let offset = 0;
  for (let index = 0; offset < bytes.byteLength; index += 1) {
    const size = sizes[index % sizes.length] ?? 1;
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

describe('OffThreadCopier', () => {
  let dir: string;
  const copier = new OffThreadCopier();
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photosync-copy-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Copy `source` into a new file; the file's bytes and the copier's answer. */
  async function copyToFile(source: AsyncIterable<Uint8Array>, maxBytes?: number) {
    const path = join(dir, `${Math.random()}.bin`);
    const file = await open(path, 'wx');
    try {
      const result = await copier.copy(source, file.fd, maxBytes);
      return { result, written: await readFile(path) };
    } finally {
      await file.close();
    }
  }

  it.each([
    ['empty', 0],
    ['one byte', 1],
    ['exactly one buffer', 256 * 1024],
    ['many buffers and a tail', 5 * 256 * 1024 + 3],
  ])('writes and hashes %s exactly as node:crypto does', async (_name, length) => {
    const bytes = randomBytes(length);
    const { result, written } = await copyToFile(pieces(bytes, [65_536, 7, 100_003, 1]));
    expect(result).toEqual({ size: length, sha256: sha256(bytes) });
    expect(written.equals(bytes)).toBe(true);
  });

  it('keeps concurrent copies apart', async () => {
    const bodies = Array.from({ length: 12 }, (_, index) => randomBytes(300_000 + index * 77_777));
    const copies = await Promise.all(bodies.map((body) => copyToFile(pieces(body, [65_536, 4_097]))));
    copies.forEach(({ result, written }, index) => {
      const body = bodies[index] ?? new Uint8Array();
      expect(result.sha256).toBe(sha256(body));
      expect(written.equals(body)).toBe(true);
    });
  });

  it('shares a bound on buffers at the worker among many uploads, each keeping at least one', async () => {
    const tight = new OffThreadCopier({ perUpload: 3, shared: 5 });
    const bodies = Array.from({ length: 20 }, (_, index) => randomBytes(1_000_000 + index * 1_111));
    const results = await Promise.all(
      bodies.map(async (body, index) => {
        const file = await open(join(dir, `tight-${index}.bin`), 'wx');
        try {
          return await tight.copy(pieces(body, [65_536, 999]), file.fd);
        } finally {
          await file.close();
        }
      }),
    );
    results.forEach((result, index) => expect(result.sha256).toBe(sha256(bodies[index] ?? new Uint8Array())));
    // At most the shared 5 plus one per upload, never 3 per upload (60).
    expect(tight.peakInFlight).toBeLessThanOrEqual(5 + 20);
    expect(tight.peakInFlight).toBeGreaterThan(0);
    const alone = new OffThreadCopier({ perUpload: 3, shared: 5 });
    const file = await open(join(dir, 'alone.bin'), 'wx');
    try {
      await alone.copy(pieces(randomBytes(3_000_000), [65_536]), file.fd);
    } finally {
      await file.close();
    }
    expect(alone.peakInFlight).toBeLessThanOrEqual(3);
  });

  it('refuses a body past maxBytes', async () => {
    const copy = copyToFile(pieces(randomBytes(2_000_000), [65_536]), 1_000_000);
    await expect(copy).rejects.toBeInstanceOf(BlobTooLargeError);
  });

  it('passes on an error of the source, after the worker let go of the file', async () => {
    async function* failing(): AsyncIterable<Uint8Array> {
      yield randomBytes(600_000);
      throw new Error('connection reset');
    }
    await expect(copyToFile(failing())).rejects.toThrow('connection reset');
    // The copier still works afterwards.
    const bytes = randomBytes(1_000);
    expect((await copyToFile(pieces(bytes, [10]))).result.sha256).toBe(sha256(bytes));
  });

  it('stops reading a long body once a write failed (a full disk), with the errno code', async () => {
    const path = join(dir, 'read-only-long.bin');
    await (await open(path, 'w')).close();
    const file = await open(path, 'r');
    try {
      const copy = new OffThreadCopier({ perUpload: 1, shared: 2 }).copy(
        pieces(randomBytes(8_000_000), [65_536]),
        file.fd,
      );
      await expect(copy).rejects.toMatchObject({ code: 'EBADF' });
    } finally {
      await file.close();
    }
  });

  it('reports a failed write with its errno code', async () => {
    const path = join(dir, 'read-only.bin');
    await (await open(path, 'w')).close();
    const file = await open(path, 'r');
    try {
      const copy = copier.copy(pieces(randomBytes(1_000_000), [65_536]), file.fd);
      await expect(copy).rejects.toMatchObject({ code: 'EBADF' });
    } finally {
      await file.close();
    }
  });
});
