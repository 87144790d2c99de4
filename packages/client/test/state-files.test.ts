// Medium tests on a real state dir: the hash cache and the resumable-upload store survive restarts,
// ignore torn or foreign files, and never leave temporary files behind.
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileHashCache } from '../src/node/hash-cache.ts';
import { FileResumeStore } from '../src/node/resume-store.ts';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const file = { path: '/photos/a.jpg', relativePath: 'a.jpg', size: 10, mtimeMs: 1700000000123.456 };

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'photosync-state-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe('FileHashCache', () => {
  it('answers only while path, size and modification time are unchanged', async () => {
    const cache = await FileHashCache.open(stateDir);
    cache.set(file, SHA_A);
    expect(cache.get(file)).toBe(SHA_A);
    expect(cache.get({ ...file, size: 11 })).toBeUndefined();
    expect(cache.get({ ...file, mtimeMs: file.mtimeMs + 1 })).toBeUndefined();
    expect(cache.get({ ...file, path: '/photos/b.jpg' })).toBeUndefined();
  });

  it('persists across a restart, exactly (fractional mtimes included)', async () => {
    const cache = await FileHashCache.open(stateDir);
    cache.set(file, SHA_A);
    await cache.flush();
    const reopened = await FileHashCache.open(stateDir);
    expect(reopened.get(file)).toBe(SHA_A);
    expect(reopened.size).toBe(1);
  });

  it('forgets nothing when flushes overlap, and leaves no temporary file', async () => {
    const cache = await FileHashCache.open(stateDir);
    cache.set(file, SHA_A);
    const first = cache.flush();
    cache.set({ ...file, path: '/photos/b.jpg' }, SHA_B);
    await Promise.all([first, cache.flush()]);
    const reopened = await FileHashCache.open(stateDir);
    expect(reopened.get({ ...file, path: '/photos/b.jpg' })).toBe(SHA_B);
    expect(await readdir(stateDir)).toEqual(['hash-cache.json']);
  });

  it('remembers the media type of an unchanged file, and reads caches written without media types', async () => {
    const cache = await FileHashCache.open(stateDir);
    cache.set({ ...file, mediaType: 'image/heic' }, SHA_A);
    await cache.flush();
    const reopened = await FileHashCache.open(stateDir);
    expect(reopened.knownMediaType(file)).toBe('image/heic');
    expect(reopened.knownMediaType({ ...file, mtimeMs: file.mtimeMs + 1 })).toBeUndefined();

    await writeFile(
      join(stateDir, 'hash-cache.json'),
      JSON.stringify({ version: 1, entries: { [file.path]: [file.size, file.mtimeMs, SHA_B] } }),
    );
    const older = await FileHashCache.open(stateDir);
    expect(older.get(file)).toBe(SHA_B);
    expect(older.knownMediaType(file)).toBeUndefined();
  });

  it('does not rewrite the file when what is set is already there', async () => {
    const cache = await FileHashCache.open(stateDir);
    cache.set({ ...file, mediaType: 'image/jpeg' }, SHA_A);
    await cache.flush();
    const before = await stat(join(stateDir, 'hash-cache.json'));
    cache.set({ ...file, mediaType: 'image/jpeg' }, SHA_A);
    await cache.flush();
    expect((await stat(join(stateDir, 'hash-cache.json'))).ino).toBe(before.ino);
    cache.set({ ...file, mediaType: 'image/png' }, SHA_A);
    await cache.flush();
    expect((await stat(join(stateDir, 'hash-cache.json'))).ino).not.toBe(before.ino);
  });

  it('starts empty from a torn or foreign file instead of failing', async () => {
    await writeFile(join(stateDir, 'hash-cache.json'), '{"version":1,"entries":{"/photos/a.jpg":[10,');
    expect((await FileHashCache.open(stateDir)).size).toBe(0);
    await writeFile(
      join(stateDir, 'hash-cache.json'),
      JSON.stringify({ version: 1, entries: { '/x': [1, 2, 'not-a-hash'] } }),
    );
    expect((await FileHashCache.open(stateDir)).size).toBe(0);
  });
});

describe('FileResumeStore', () => {
  it('keeps upload URLs per SHA-256 across a restart, and forgets finished ones', async () => {
    const store = await FileResumeStore.open(stateDir);
    await store.set(SHA_A, 'http://127.0.0.1:1/api/v2/tus/one');
    await store.set(SHA_B, 'http://127.0.0.1:1/api/v2/tus/two');
    await store.delete(SHA_A);
    const reopened = await FileResumeStore.open(stateDir);
    expect(await reopened.get(SHA_A)).toBeUndefined();
    expect(await reopened.get(SHA_B)).toBe('http://127.0.0.1:1/api/v2/tus/two');
  });

  it('starts empty from a torn file', async () => {
    await writeFile(join(stateDir, 'tus-uploads.json'), '{"aaa');
    expect(await (await FileResumeStore.open(stateDir)).get(SHA_A)).toBeUndefined();
  });
});
