// Small tests of the pipelined backup (hash → check → upload at once) with in-memory fakes of every port:
// each missing content is sent exactly once whatever the order things finish in, uploads start before the
// last hash, and a fatal error or an abort mid-run stops everything cleanly.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.ts';
import { isSizedBody } from '../src/sized-body.ts';
import { backupFolders, type BackupClient } from '../src/sync/backup.ts';
import type { HashCache, LocalFile, LocalFiles, ResumeStore, SyncProgress } from '../src/sync/types.ts';

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `count` files of `size` bytes; every `copyEvery`-th file repeats the content of the one before it. */
function library(count: number, size = 64, copyEvery = 0): Map<string, Buffer> {
  const contents = new Map<string, Buffer>();
  let previous = Buffer.alloc(0);
  for (let i = 0; i < count; i += 1) {
    const bytes = copyEvery > 0 && i % copyEvery === copyEvery - 1 ? previous : Buffer.alloc(size, `file ${i};`);
    contents.set(`/lib/${String(i).padStart(4, '0')}.jpg`, bytes);
    previous = bytes;
  }
  return contents;
}

/** The ports over `contents`; hashing and reading finish in a shuffled order (`delay` per file). */
function ports(contents: Map<string, Buffer>, delay: (path: string) => Promise<void> = () => tick()) {
  const cache = new Map<string, string>();
  const files: LocalFiles = {
    async *list() {
      for (const [path, bytes] of contents)
        yield { path, relativePath: path.slice(5), size: bytes.length, mtimeMs: 1, mediaType: 'image/jpeg' };
    },
    async *read(file) {
      await delay(file.path);
      yield contents.get(file.path)!;
    },
    async sha256(file) {
      await delay(file.path);
      return sha(contents.get(file.path)!);
    },
  };
  const hashCache: HashCache & { flushed: number } = {
    flushed: 0,
    get: (file) => cache.get(file.path),
    set: (file, sha256) => void cache.set(file.path, sha256),
    flush: () => Promise.resolve(void (hashCache.flushed = cache.size)),
  };
  const resumeStore: ResumeStore = {
    get: () => Promise.resolve(undefined),
    set: () => Promise.resolve(),
    delete: () => Promise.resolve(),
  };
  return { files, hashCache, resumeStore };
}

/** A server that records every check and upload; `onUpload` may throw to refuse one. */
function server(onUpload: (sha256: string, index: number) => void = () => undefined) {
  const stored = new Set<string>();
  const log = { checked: [] as string[], uploads: [] as string[], uploadsStarted: 0 };
  const client: BackupClient = {
    haveFiles: async (sha256s) => {
      await tick();
      log.checked.push(...sha256s);
      return { have: sha256s.filter((s) => stored.has(s)).map((s) => ({ sha256: s, filename: s })), missing: [] };
    },
    upload: async (body, options) => {
      const index = log.uploadsStarted++;
      onUpload(options.sha256!, index);
      const parts: Buffer[] = [];
      if (!isSizedBody(body)) throw new Error('expected a sized body');
      for await (const chunk of body.chunks()) parts.push(Buffer.from(chunk));
      const bytes = Buffer.concat(parts);
      expect(sha(bytes)).toBe(options.sha256);
      log.uploads.push(options.sha256!);
      stored.add(options.sha256!);
      return { message: 'ok', filename: options.filename, sha256: options.sha256!, size: bytes.length };
    },
    resumableUploads: () => {
      throw new Error('no large files here');
    },
  };
  return { client, stored, log };
}

const shuffled = (seed: number) => (path: string) => {
  let wait = (Number(path.replace(/\D/g, '')) * 7919 + seed) % 5;
  return (async () => {
    while (wait-- >= 0) await tick();
  })();
};

describe('backupFolders (pipelined)', () => {
  it.each([1, 2, 3])(
    'sends each missing content exactly once, whatever order work finishes in (seed %i)',
    async (seed) => {
      const contents = library(60, 100, 4);
      const distinct = new Set([...contents.values()].map(sha));
      const { client, stored, log } = server();
      stored.add(sha(contents.get('/lib/0000.jpg')!)); // the server already has one
      const events: SyncProgress[] = [];
      const report = await backupFolders({
        client,
        ...ports(contents, shuffled(seed)),
        roots: ['/lib'],
        onProgress: (event) => events.push(event),
      });
      expect(new Set(log.uploads).size).toBe(log.uploads.length);
      expect(new Set(log.uploads)).toEqual(
        new Set([...distinct].filter((s) => s !== sha(contents.get('/lib/0000.jpg')!))),
      );
      expect(new Set(log.checked).size).toBe(log.checked.length);
      expect(report).toMatchObject({ filesScanned: 60, filesUploaded: distinct.size - 1, failed: [] });
      expect(report.filesAlreadyStored + report.filesUploaded).toBe(60);
      expect(report.bytesSent).toBe((distinct.size - 1) * 100);
      const last = events.filter((event) => event.phase === 'upload').at(-1);
      expect(last).toMatchObject({ filesDone: 60, filesTotal: 60, bytesDone: report.bytesSent });
      expect(last?.bytesTotal).toBe(report.bytesSent);
    },
  );

  it('starts uploading before the last file is hashed', async () => {
    const contents = library(12);
    let release: () => void = () => undefined;
    const lastHashed = new Promise<void>((resolve) => (release = resolve));
    let uploadedWhileHashing = false;
    let hashing = true;
    const { client } = server(() => {
      uploadedWhileHashing ||= hashing;
      release();
    });
    // The last file's hash waits for the first upload (or, if there never is one before it, a safety valve).
    const valve = setTimeout(release, 5_000);
    const report = await backupFolders({
      client,
      ...ports(contents, async (path) => {
        if (path.endsWith('0011.jpg')) {
          await lastHashed;
          hashing = false;
        }
        await tick();
      }),
      roots: ['/lib'],
    });
    clearTimeout(valve);
    expect(uploadedWhileHashing).toBe(true);
    expect(report.filesUploaded).toBe(12);
  });

  it('saves the hash cache once everything is hashed, before the last upload is done', async () => {
    const contents = library(12);
    const { client } = server();
    const { hashCache, ...rest } = ports(contents);
    let stored = 0;
    let savedWhenLastStored = 0;
    const watched: BackupClient = {
      ...client,
      upload: async (body, options) => {
        const answer = await client.upload(body, options);
        if (++stored === contents.size) savedWhenLastStored = hashCache.flushed;
        return answer;
      },
    };
    await backupFolders({ client: watched, hashCache, ...rest, roots: ['/lib'] });
    expect(savedWhenLastStored).toBe(contents.size);
  });

  it('stops on a refused upload: nothing new starts, the error is thrown and the hashes are kept', async () => {
    const contents = library(40);
    const refused = new ApiError(401, 'UNAUTHORIZED', 'token expired', {});
    let refusedAt: number | undefined;
    const { client, log } = server((_sha256, index) => {
      if (index === 5) {
        refusedAt = index;
        throw refused;
      }
    });
    const { hashCache, ...rest } = ports(contents);
    await expect(backupFolders({ client, hashCache, ...rest, roots: ['/lib'], concurrency: 2 })).rejects.toBe(refused);
    // At most the other lane's upload was in flight when the refusal came; none started after it.
    expect(log.uploadsStarted).toBeLessThanOrEqual(refusedAt! + 2);
    expect(log.uploads.length).toBeLessThan(contents.size);
    expect(hashCache.flushed).toBeGreaterThan(log.uploads.length);
  });

  it('stops on an abort mid-run and sends nothing afterwards', async () => {
    const contents = library(40);
    const controller = new AbortController();
    const { client, log } = server((_sha256, index) => {
      if (index === 3) controller.abort();
    });
    await expect(
      backupFolders({ client, ...ports(contents), roots: ['/lib'], signal: controller.signal }),
    ).rejects.toThrow(/abort/i);
    const startedAtAbort = log.uploadsStarted;
    await tick();
    expect(log.uploadsStarted).toBe(startedAtAbort);
    expect(log.uploadsStarted).toBeLessThanOrEqual(4 + 3);
  });

  it('sends a copy in place of a file that cannot be read', async () => {
    const contents = library(4, 50, 2); // 0001 repeats 0000, 0003 repeats 0002
    const { files, ...rest } = ports(contents);
    const unreadable: LocalFiles = {
      ...files,
      async *read(file: LocalFile, start?: number) {
        if (file.path.endsWith('0000.jpg')) throw new Error('EIO: i/o error');
        yield* files.read(file, start);
      },
    };
    const { client, log } = server();
    const report = await backupFolders({ client, files: unreadable, ...rest, roots: ['/lib'] });
    expect(report.failed).toEqual([{ path: '/lib/0000.jpg', error: 'cannot read: EIO: i/o error' }]);
    expect(log.uploads).toHaveLength(2);
    expect(report).toMatchObject({ filesUploaded: 2, filesAlreadyStored: 1 });
  });
});
