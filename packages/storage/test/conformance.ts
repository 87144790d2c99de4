/**
 * The one test suite every BlobStore implementation must pass (fs now, S3 in the scale-out work).
 * Call `describeBlobStoreConformance(name, factory)` from an implementation's test file.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BlobExistsError,
  BlobNotFoundError,
  BlobTooLargeError,
  InvalidKeyError,
  type BlobStore,
} from '../src/blob-store.ts';

export interface StoreFixture {
  store: BlobStore;
  /** Keys visible to a plain listing of everything the backend holds, staging included. */
  rawEntries(): Promise<string[]>;
  cleanup(): Promise<void>;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Uint8Array));
  return Buffer.concat(parts);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file outside the store, as a finished resumable upload would be. */
async function localFile(bytes: Buffer): Promise<{ path: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'photosync-source-'));
  const path = join(dir, 'upload.bin');
  await writeFile(path, bytes);
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function* pieces(bytes: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

export function describeBlobStoreConformance(name: string, createFixture: () => Promise<StoreFixture>): void {
  describe(`BlobStore conformance: ${name}`, () => {
    let fixture: StoreFixture;
    let store: BlobStore;
    beforeEach(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });
    afterEach(async () => fixture.cleanup());

    const payload = Buffer.from(Array.from({ length: 3_000_001 }, (_, i) => (i * 7919) % 251));

    it('stages with the right size and SHA-256, invisible until committed', async () => {
      const staged = await store.stage(Readable.from(pieces(payload, 65_536)));
      expect(staged.size).toBe(payload.length);
      expect(staged.sha256).toBe(sha256(payload));
      expect(await store.stat('acct/photo.jpg')).toBeUndefined();
      await store.commit(staged, 'acct/photo.jpg');
      expect((await store.stat('acct/photo.jpg'))?.size).toBe(payload.length);
      expect(sha256(await readAll(await store.read('acct/photo.jpg')))).toBe(sha256(payload));
    });

    it('stages a local file: right size and SHA-256, source left in place for its owner, committable', async () => {
      const source = await localFile(payload);
      const staged = await store.stageFile(source.path);
      expect(staged.size).toBe(payload.length);
      expect(staged.sha256).toBe(sha256(payload));
      expect((await readFile(source.path)).equals(payload)).toBe(true);
      expect(await store.stat('acct/big.mov')).toBeUndefined();
      await store.commit(staged, 'acct/big.mov');
      expect(sha256(await readAll(await store.read('acct/big.mov')))).toBe(sha256(payload));
      await source.cleanup();
    });

    it('refuses a local file over maxBytes, leaving it where it was and nothing staged', async () => {
      const source = await localFile(payload);
      await expect(store.stageFile(source.path, { maxBytes: 10_000 })).rejects.toBeInstanceOf(BlobTooLargeError);
      expect((await readFile(source.path)).equals(payload)).toBe(true);
      expect(await fixture.rawEntries()).toEqual([]);
      await source.cleanup();
    });

    it('discards a staged local file like any staged blob', async () => {
      const source = await localFile(Buffer.from('short-lived'));
      await store.discard(await store.stageFile(source.path));
      expect(await fixture.rawEntries()).toEqual([]);
      await source.cleanup();
    });

    it('reads inclusive byte ranges', async () => {
      const staged = await store.stage(Readable.from([payload]));
      await store.commit(staged, 'acct/r.bin');
      const part = await readAll(await store.read('acct/r.bin', { start: 10, end: 19 }));
      expect(part.equals(payload.subarray(10, 20))).toBe(true);
    });

    it('never overwrites an existing key and keeps the staged bytes for another try', async () => {
      await store.commit(await store.stage(Readable.from([Buffer.from('first')])), 'acct/a.txt');
      const second = await store.stage(Readable.from([Buffer.from('second')]));
      await expect(store.commit(second, 'acct/a.txt')).rejects.toBeInstanceOf(BlobExistsError);
      await store.commit(second, 'acct/a (1).txt');
      expect((await readAll(await store.read('acct/a.txt'))).toString()).toBe('first');
      expect((await readAll(await store.read('acct/a (1).txt'))).toString()).toBe('second');
    });

    it('refuses a stream over maxBytes and leaves nothing behind', async () => {
      await expect(store.stage(Readable.from(pieces(payload, 4096)), { maxBytes: 10_000 })).rejects.toBeInstanceOf(
        BlobTooLargeError,
      );
      expect(await fixture.rawEntries()).toEqual([]);
    });

    it('leaves nothing behind when the source fails mid-stream', async () => {
      async function* broken(): AsyncGenerator<Buffer> {
        yield Buffer.alloc(100_000, 1);
        throw new Error('connection reset');
      }
      await expect(store.stage(broken())).rejects.toThrow('connection reset');
      expect(await fixture.rawEntries()).toEqual([]);
    });

    it('discards staged blobs and cleans staging leftovers', async () => {
      const staged = await store.stage(Readable.from([Buffer.from('x')]));
      await store.discard(staged);
      await store.discard(staged);
      await store.stage(Readable.from([Buffer.from('leftover')]));
      expect(await store.cleanStaging(0)).toBe(1);
      expect(await fixture.rawEntries()).toEqual([]);
    });

    it('lists, deletes one blob and deletes a prefix', async () => {
      for (const key of ['a/1.jpg', 'a/2.jpg', 'b/1.jpg']) {
        await store.commit(await store.stage(Readable.from([Buffer.from(key)])), key);
      }
      const listed: string[] = [];
      for await (const blob of store.list('a')) listed.push(blob.key);
      expect(listed.sort()).toEqual(['a/1.jpg', 'a/2.jpg']);
      expect(await store.delete('a/1.jpg')).toBe(true);
      expect(await store.delete('a/1.jpg')).toBe(false);
      expect(await store.deletePrefix('a')).toBe(1);
      expect(await store.stat('a/2.jpg')).toBeUndefined();
      expect((await store.stat('b/1.jpg'))?.size).toBe(7);
    });

    it('refuses keys that could escape their namespace', async () => {
      const staged = await store.stage(Readable.from([Buffer.from('x')]));
      for (const key of ['../x', 'a/../../x', 'a//b', '', 'a/./b', 'a\\..\\x', 'a/b\0c']) {
        await expect(store.commit(staged, key)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.read(key)).rejects.toBeInstanceOf(InvalidKeyError);
      }
    });

    it('reports capacity consistently when it knows it', async () => {
      const capacity = await store.capacity();
      if (capacity) {
        expect(capacity.totalBytes).toBeGreaterThan(0);
        expect(capacity.freeBytes).toBeGreaterThanOrEqual(0);
        expect(capacity.freeBytes).toBeLessThanOrEqual(capacity.totalBytes);
      }
    });

    it('reports a missing blob as BlobNotFoundError', async () => {
      await expect(store.read('acct/missing.jpg')).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await store.stat('acct/missing.jpg')).toBeUndefined();
    });
  });
}
