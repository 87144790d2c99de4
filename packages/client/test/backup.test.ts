// Medium tests of backupFolders: real folders, the real hash cache and resume store, against an in-memory
// library whose tus endpoint keeps partial bytes and can drop a connection (support/fake-library.ts).
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.ts';
import { FileHashCache } from '../src/node/hash-cache.ts';
import { nodeLocalFiles } from '../src/node/local-files.ts';
import { FileResumeStore } from '../src/node/resume-store.ts';
import { backupFolders, type BackupOptions } from '../src/sync/backup.ts';
import type { LocalFile, LocalFiles } from '../src/sync/types.ts';
import { FakeLibrary } from './support/fake-library.ts';

const KiB = 1024;
/** Random bytes that sniff as a JPEG. */
const photo = (size: number): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);

let root: string;
let photos: string;
let stateDir: string;
let library: FakeLibrary;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'photosync-backup-'));
  photos = join(root, 'photos');
  stateDir = join(root, 'state');
  await mkdir(photos);
  library = new FakeLibrary();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(overrides: Partial<BackupOptions> = {}) {
  return backupFolders({
    client: library.client,
    files: nodeLocalFiles(),
    hashCache: await FileHashCache.open(stateDir),
    resumeStore: await FileResumeStore.open(stateDir),
    roots: [photos],
    largeFileThreshold: 64 * KiB,
    chunkSize: 32 * KiB,
    ...overrides,
  });
}

describe('backupFolders', () => {
  it('uploads small files in one request and large ones through tus, counting the bytes sent', async () => {
    const small = photo(10 * KiB);
    const large = photo(200 * KiB);
    await writeFile(join(photos, 'small.jpg'), small);
    await mkdir(join(photos, 'trip'));
    await writeFile(join(photos, 'trip', 'large.jpg'), large);
    const report = await run();
    expect(report).toMatchObject({
      mode: 'plain',
      filesScanned: 2,
      filesHashedFromCache: 0,
      filesUploaded: 2,
      failed: [],
    });
    expect(report.bytesSent).toBe(small.length + large.length);
    expect(report.bytesSent).toBe(library.bytesReceived);
    expect(library.rawUploads).toBe(1);
    expect(library.tusCreated).toBe(1);
    expect(library.names()).toEqual(['large.jpg', 'small.jpg']);
    expect([...library.stored.values()].find((e) => e.name === 'large.jpg')?.bytes.equals(large)).toBe(true);
  });

  it('sends nothing for an unchanged tree, from the cache, and only a new file afterwards', async () => {
    await writeFile(join(photos, 'a.jpg'), photo(5 * KiB));
    await writeFile(join(photos, 'b.jpg'), photo(100 * KiB));
    await run();
    const sent = library.bytesReceived;
    const second = await run();
    expect(second).toMatchObject({ filesScanned: 2, filesHashedFromCache: 2, filesAlreadyStored: 2, filesUploaded: 0 });
    expect(second.bytesSent).toBe(0);
    expect(library.bytesReceived).toBe(sent);

    const added = photo(3 * KiB);
    await writeFile(join(photos, 'c.jpg'), added);
    const third = await run();
    expect(third).toMatchObject({
      filesScanned: 3,
      filesHashedFromCache: 2,
      filesUploaded: 1,
      bytesSent: added.length,
    });
  });

  it('stores identical content found in two places once, and keeps both of two different files of one name', async () => {
    const same = photo(4 * KiB);
    await mkdir(join(photos, 'x'));
    await mkdir(join(photos, 'y'));
    await writeFile(join(photos, 'x', 'IMG_1.jpg'), same);
    await writeFile(join(photos, 'y', 'copy.jpg'), same);
    await writeFile(join(photos, 'y', 'IMG_1.jpg'), photo(4 * KiB));
    const report = await run();
    expect(report).toMatchObject({ filesScanned: 3, filesUploaded: 2, filesAlreadyStored: 1, bytesSent: 8 * KiB });
    expect(library.names()).toEqual(['IMG_1 (1).jpg', 'IMG_1.jpg']);
  });

  it('continues a tus upload after a dropped connection from the offset the server acknowledged', async () => {
    const large = photo(300 * KiB);
    await writeFile(join(photos, 'big.jpg'), large);
    library.dropAtOffset = 100 * KiB;
    const report = await run();
    expect(report).toMatchObject({ filesUploaded: 1, failed: [] });
    expect(library.tusCreated).toBe(1);
    expect(library.stored.values().next().value?.bytes.equals(large)).toBe(true);
    expect(report.bytesSent).toBe(library.bytesReceived);
    expect(report.bytesSent).toBeLessThanOrEqual(large.length + 32 * KiB);
  });

  it('resumes an upload interrupted by an abort (a killed process) in the next run', async () => {
    const large = photo(640 * KiB);
    await writeFile(join(photos, 'video.jpg'), large);
    const controller = new AbortController();
    library.onBytesReceived = (total) => {
      if (total >= 300 * KiB) controller.abort();
    };
    await expect(run({ signal: controller.signal })).rejects.toThrow(/abort/i);
    library.onBytesReceived = undefined;
    const firstRun = library.bytesReceived;
    expect(firstRun).toBeGreaterThanOrEqual(250 * KiB);
    expect(firstRun).toBeLessThan(large.length);
    const saved = JSON.parse(await readFile(join(stateDir, 'tus-uploads.json'), 'utf8')) as Record<string, string>;
    expect(Object.values(saved)).toEqual(['http://fake.test/api/v2/tus/u1']);

    const second = await run();
    expect(second).toMatchObject({ filesUploaded: 1, filesHashedFromCache: 1 });
    expect(library.tusCreated).toBe(1);
    expect(library.stored.values().next().value?.bytes.equals(large)).toBe(true);
    expect(firstRun + second.bytesSent).toBeLessThan(1.2 * large.length);
    expect(JSON.parse(await readFile(join(stateDir, 'tus-uploads.json'), 'utf8'))).toEqual({});
  });

  it('reports a large file whose bytes no longer match its hash, and forgets that upload', async () => {
    await writeFile(join(photos, 'edited.jpg'), photo(100 * KiB));
    const cache = await FileHashCache.open(stateDir);
    let file: LocalFile | undefined;
    for await (const found of nodeLocalFiles().list([photos])) file = found;
    cache.set(file!, 'f'.repeat(64)); // what the file hashed to before it was edited in place
    const report = await run({ hashCache: cache });
    expect(report.filesUploaded).toBe(0);
    expect(report.failed).toEqual([{ path: file!.path, error: 'SHA-256 mismatch' }]);
    expect(library.stored.size).toBe(0);
    expect(JSON.parse(await readFile(join(stateDir, 'tus-uploads.json'), 'utf8'))).toEqual({});
  });

  it('records a file that cannot be read and backs up the others', async () => {
    await writeFile(join(photos, 'a.jpg'), photo(2 * KiB));
    await writeFile(join(photos, 'gone.jpg'), photo(2 * KiB));
    const real = nodeLocalFiles();
    const vanishing: LocalFiles = {
      ...real,
      async *list(roots) {
        for await (const file of real.list(roots)) {
          if (file.relativePath === 'gone.jpg') await rm(file.path);
          yield file;
        }
      },
    };
    const report = await run({ files: vanishing });
    expect(report.filesUploaded).toBe(1);
    expect(report.failed).toEqual([
      { path: join(photos, 'gone.jpg'), error: expect.stringMatching(/cannot read: .*ENOENT/) as string },
    ]);
  });

  it('stops on a refused session but keeps what it hashed for the next run', async () => {
    await writeFile(join(photos, 'a.jpg'), photo(2 * KiB));
    const client = {
      ...library.client,
      haveFiles: () => Promise.reject(new ApiError(401, 'UNAUTHORIZED', 'token expired', {})),
    };
    await expect(run({ client })).rejects.toThrow('token expired');
    const next = await run();
    expect(next).toMatchObject({ filesHashedFromCache: 1, filesUploaded: 1 });
  });
});
