// Tests of dedupe: the keep rule (pure), EXIF capture time, and dedupeFolder on a real folder — a dry run
// changes nothing; applying moves only the duplicates, into the timestamped trash, at their relative paths.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureTimeMs } from '../src/node/capture-time.ts';
import { dedupeFolder } from '../src/node/dedupe-folder.ts';
import { FileHashCache } from '../src/node/hash-cache.ts';
import { keepOrder, planDedupe, type DedupeCandidate } from '../src/sync/dedupe-plan.ts';

const candidate = (relativePath: string, sha: string, mtimeMs: number, capturedAtMs?: number): DedupeCandidate => ({
  path: `/d/${relativePath}`,
  relativePath,
  size: 10,
  sha256: sha,
  mtimeMs,
  ...(capturedAtMs !== undefined ? { capturedAtMs } : {}),
});

describe('planDedupe', () => {
  it('groups by content only and keeps the oldest', () => {
    const plan = planDedupe([
      candidate('IMG_1.jpg', 'x', 300),
      candidate('backup/IMG_1.jpg', 'x', 100),
      candidate('IMG_2.jpg', 'y', 50),
      candidate('other-name.jpg', 'x', 200),
    ]);
    expect(plan.groups).toHaveLength(1);
    expect(plan.groups[0]?.keep.relativePath).toBe('backup/IMG_1.jpg');
    expect(plan.groups[0]?.duplicates.map((d) => d.relativePath)).toEqual(['other-name.jpg', 'IMG_1.jpg']);
    expect(plan.bytesFreed).toBe(20);
  });

  it('prefers the capture time over the modification time', () => {
    expect(keepOrder(candidate('a', 'x', 100, 5000), candidate('b', 'x', 900, 1000))).toBeGreaterThan(0);
    expect(keepOrder(candidate('a', 'x', 100), candidate('b', 'x', 900, 1000))).toBeLessThan(0);
  });

  it('breaks ties by the shortest path, then lexically', () => {
    const plan = planDedupe([candidate('zz/a.jpg', 'x', 1), candidate('b.jpg', 'x', 1), candidate('a.jpg', 'x', 1)]);
    expect(plan.groups[0]?.keep.relativePath).toBe('a.jpg');
    expect(plan.groups[0]?.duplicates.map((d) => d.relativePath)).toEqual(['b.jpg', 'zz/a.jpg']);
  });

  it('finds no group when every file is unique', () => {
    expect(planDedupe([candidate('a', 'x', 1), candidate('b', 'y', 1)])).toEqual({ groups: [], bytesFreed: 0 });
  });
});

/** A minimal JPEG whose EXIF says DateTimeOriginal = 2001:02:03 04:05:06. */
function jpegWithExif(): Buffer {
  const tiff = Buffer.alloc(64);
  tiff.write('II*\0', 0, 'latin1');
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(1, 8); // IFD0: one entry, the Exif IFD pointer
  tiff.writeUInt16LE(0x8769, 10);
  tiff.writeUInt16LE(4, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt32LE(26, 18);
  tiff.writeUInt32LE(0, 22);
  tiff.writeUInt16LE(1, 26); // Exif IFD: DateTimeOriginal, ASCII[20] at 44
  tiff.writeUInt16LE(0x9003, 28);
  tiff.writeUInt16LE(2, 30);
  tiff.writeUInt32LE(20, 32);
  tiff.writeUInt32LE(44, 36);
  tiff.writeUInt32LE(0, 40);
  tiff.write('2001:02:03 04:05:06\0', 44, 'latin1');
  const app1 = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(app1.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), length, app1, Buffer.from([0xff, 0xd9])]);
}

describe('captureTimeMs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photosync-exif-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads EXIF DateTimeOriginal, and is undefined for a file without it', async () => {
    await writeFile(join(dir, 'exif.jpg'), jpegWithExif());
    await writeFile(join(dir, 'plain.bin'), 'not an image');
    expect(await captureTimeMs(join(dir, 'exif.jpg'))).toBe(new Date(2001, 1, 3, 4, 5, 6).getTime());
    expect(await captureTimeMs(join(dir, 'plain.bin'))).toBeUndefined();
  });
});

describe('dedupeFolder', () => {
  const JPEG = (tag: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(tag)]);
  let dir: string;
  let stateDir: string;

  async function tree(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const walk = async (folder: string): Promise<void> => {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await walk(path);
        else
          out[relative(dir, path)] = `${createHash('sha256')
            .update(await readFile(path))
            .digest('hex')}@${(await stat(path)).mtimeMs}`;
      }
    };
    await walk(dir);
    return out;
  }

  beforeEach(async () => {
    const root = await mkdtemp(join(tmpdir(), 'photosync-dedupe-'));
    dir = join(root, 'photos');
    stateDir = join(root, 'state');
    await mkdir(join(dir, '2019'), { recursive: true });
    await mkdir(join(dir, 'copies'), { recursive: true });
    const files: [string, Buffer, number][] = [
      ['2019/beach.jpg', JPEG('beach'), 1_500_000_000], // oldest copy: kept
      ['copies/beach.jpg', JPEG('beach'), 1_600_000_000],
      ['beach-edited-name.jpg', JPEG('beach'), 1_700_000_000],
      ['unique.jpg', JPEG('unique'), 1_000_000_000],
      ['copies/notes.txt', Buffer.from('beach'), 1_000_000_000],
    ];
    for (const [path, bytes, seconds] of files) {
      await writeFile(join(dir, path), bytes);
      await utimes(join(dir, path), seconds, seconds);
    }
  });
  afterEach(async () => {
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('reports in a dry run and changes nothing', async () => {
    const before = await tree();
    const report = await dedupeFolder({ dir, hashCache: await FileHashCache.open(stateDir) });
    expect(report).toMatchObject({ applied: false, filesScanned: 4, moved: 0, bytesFreed: 2 * JPEG('beach').length });
    expect(report.groups).toEqual([
      {
        sha256: createHash('sha256').update(JPEG('beach')).digest('hex'),
        size: JPEG('beach').length,
        keep: join(dir, '2019/beach.jpg'),
        duplicates: [join(dir, 'copies/beach.jpg'), join(dir, 'beach-edited-name.jpg')],
      },
    ]);
    expect(await tree()).toEqual(before);
  });

  it('with apply, moves exactly the duplicates into the trash and touches nothing else', async () => {
    const before = await tree();
    const now = new Date('2024-05-06T07:08:09.010Z');
    const report = await dedupeFolder({ dir, apply: true, now });
    expect(report).toMatchObject({ applied: true, moved: 2, failed: [] });
    const run = '.photosync-trash/2024-05-06T07-08-09-010Z';
    expect(report.trashDir).toBe(join(dir, run));
    const { ['copies/beach.jpg']: copy, ['beach-edited-name.jpg']: renamed, ...untouched } = before;
    expect(await tree()).toEqual({
      ...untouched,
      [`${run}/copies/beach.jpg`]: copy,
      [`${run}/beach-edited-name.jpg`]: renamed,
    });
    const again = await dedupeFolder({ dir, apply: true });
    expect(again).toMatchObject({ groups: [], moved: 0 });
  });

  it('moves into a trash folder of the caller’s choice', async () => {
    const trash = join(dir, '..', 'trash');
    const report = await dedupeFolder({ dir, apply: true, trashDir: trash, now: new Date(0) });
    expect(report.moved).toBe(2);
    expect((await readdir(join(trash, '1970-01-01T00-00-00-000Z'), { recursive: true })).sort()).toEqual([
      'beach-edited-name.jpg',
      'copies',
      'copies/beach.jpg',
    ]);
  });
});
