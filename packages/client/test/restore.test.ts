// Medium tests of restoreLibrary into a real folder (nodeRestoreTarget) from an in-memory library:
// verified bytes, skip-identical without downloading, never overwrite, date ranges, names (pure helpers).
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileEntry } from '@photosync/protocol';
import { nodeRestoreTarget } from '../src/node/restore-target.ts';
import { restoreLibrary, selectEntries, suffixedName, type RestoreClient } from '../src/sync/restore.ts';

interface Stored {
  readonly entry: FileEntry;
  bytes: Buffer;
  sha: string;
}

function library(files: Record<string, { bytes: string; at?: string }>) {
  const stored: Stored[] = Object.entries(files).map(([filename, { bytes, at }]) => ({
    entry: { filename, size: Buffer.byteLength(bytes), created_at: at ?? '2024-06-01T12:00:00.000Z' },
    bytes: Buffer.from(bytes),
    sha: createHash('sha256').update(bytes).digest('hex'),
  }));
  const counts = { bodies: 0, notModified: 0 };
  const client: RestoreClient = {
    listFiles: ({ offset = 0, limit = 0 } = {}) =>
      Promise.resolve({
        files: stored.slice(offset, limit ? offset + limit : undefined).map((s) => s.entry),
        total: stored.length,
      }),
    download: (name, request = {}) => {
      const file = stored.find((s) => s.entry.filename === name);
      if (!file) return Promise.reject(new Error('404'));
      if (request.ifNoneMatch === `"${file.sha}"`) {
        counts.notModified += 1;
        return Promise.resolve(new Response(null, { status: 304 }));
      }
      counts.bodies += 1;
      return Promise.resolve(new Response(file.bytes, { status: 200, headers: { etag: `"${file.sha}"` } }));
    },
  };
  return { client, stored, counts };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'photosync-restore-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('restoreLibrary', () => {
  it('writes every file byte for byte, then skips them all without downloading again', async () => {
    const { client, counts } = library({ 'a.jpg': { bytes: 'alpha' }, 'b.mp4': { bytes: 'bravo!' } });
    const first = await restoreLibrary({ client, target: nodeRestoreTarget(dir) });
    expect(first).toEqual({
      filesRestored: 2,
      filesSkippedIdentical: 0,
      filesRenamed: 0,
      bytesWritten: 11,
      failed: [],
    });
    expect(await readFile(join(dir, 'a.jpg'), 'utf8')).toBe('alpha');
    expect(await readFile(join(dir, 'b.mp4'), 'utf8')).toBe('bravo!');
    const again = await restoreLibrary({ client, target: nodeRestoreTarget(dir) });
    expect(again).toMatchObject({ filesRestored: 0, filesSkippedIdentical: 2, bytesWritten: 0 });
    expect(counts).toEqual({ bodies: 2, notModified: 2 });
  });

  it('never overwrites a different local file: the download gets a suffixed name, once', async () => {
    await writeFile(join(dir, 'a.jpg'), 'mine, different');
    const { client } = library({ 'a.jpg': { bytes: 'from the server' } });
    const first = await restoreLibrary({ client, target: nodeRestoreTarget(dir) });
    expect(first).toMatchObject({ filesRestored: 1, filesRenamed: 1 });
    expect(await readFile(join(dir, 'a.jpg'), 'utf8')).toBe('mine, different');
    expect(await readFile(join(dir, 'a (1).jpg'), 'utf8')).toBe('from the server');
    const again = await restoreLibrary({ client, target: nodeRestoreTarget(dir) });
    expect(again).toMatchObject({ filesRestored: 0, filesSkippedIdentical: 1 });
    expect((await readdir(dir)).sort()).toEqual(['a (1).jpg', 'a.jpg']);
  });

  it('refuses bytes that do not match the SHA-256 and leaves nothing behind', async () => {
    const { client, stored } = library({ 'a.jpg': { bytes: 'genuine' } });
    stored[0]!.bytes = Buffer.from('tampered');
    const report = await restoreLibrary({ client, target: nodeRestoreTarget(dir) });
    expect(report.filesRestored).toBe(0);
    expect(report.failed).toEqual([{ path: 'a.jpg', error: expect.stringContaining('do not match') as string }]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('restores only the files stored in a date range', async () => {
    const { client } = library({
      'old.jpg': { bytes: '1', at: '2023-12-31T23:59:59.999Z' },
      'jan.jpg': { bytes: '2', at: '2024-01-15T00:00:00.000Z' },
      'feb.jpg': { bytes: '3', at: '2024-02-01T00:00:00.000Z' },
    });
    await restoreLibrary({
      client,
      target: nodeRestoreTarget(dir),
      from: new Date('2024-01-01T00:00:00Z'),
      to: new Date('2024-02-01T00:00:00Z'),
    });
    expect(await readdir(dir)).toEqual(['jan.jpg']);
  });
});

describe('restore helpers', () => {
  it('suffixes names the way the server does', () => {
    expect(suffixedName('photo.jpg', 1)).toBe('photo (1).jpg');
    expect(suffixedName('archive.tar.gz', 2)).toBe('archive.tar (2).gz');
    expect(suffixedName('README', 3)).toBe('README (3)');
    expect(suffixedName('.hidden', 1)).toBe('.hidden (1)');
  });

  it('selects by half-open date range and by name', () => {
    const entries = [
      { filename: 'a', size: 1, created_at: '2024-01-01T00:00:00.000Z' },
      { filename: 'b', size: 1, created_at: '2024-01-02T00:00:00.000Z' },
    ];
    expect(selectEntries(entries, { from: new Date('2024-01-01T00:00:00Z') }).map((e) => e.filename)).toEqual([
      'a',
      'b',
    ]);
    expect(selectEntries(entries, { to: new Date('2024-01-02T00:00:00Z') }).map((e) => e.filename)).toEqual(['a']);
    expect(selectEntries(entries, { names: ['b'] }).map((e) => e.filename)).toEqual(['b']);
  });

  it('never writes outside the folder', async () => {
    await expect(nodeRestoreTarget(dir).sizeOf('../escape.jpg')).rejects.toThrow('unsafe');
  });
});
