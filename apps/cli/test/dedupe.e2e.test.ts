// End to end: `photosync dedupe` on a folder of real photos and videos. The dry run changes nothing; the
// real run keeps the oldest copy of each content, the trash holds the others at their relative paths, and
// nothing else in the folder moves or changes.
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DedupeReport } from '@photosync/client/node';
import { jsonOf, runCli } from './support/cli.ts';
import { ensureMediaTools, makeHeic, makeJpeg, makeMp4, makePng } from './support/media.ts';

let work: string;
let photos: string;

/** Every file under `dir`: relative path → SHA-256 and modification time. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const digest = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
    out[relative(dir, path)] = `${digest} ${(await stat(path)).mtimeMs}`;
  }
  return out;
}

const at = async (path: string, isoDate: string): Promise<void> => {
  const time = new Date(isoDate);
  await utimes(path, time, time);
};

beforeAll(async () => {
  ensureMediaTools();
  work = await mkdtemp(join(tmpdir(), 'photosync-cli-dedupe-'));
  photos = join(work, 'Pictures');
  await mkdir(join(photos, '2019'), { recursive: true });
  await mkdir(join(photos, 'Imported'), { recursive: true });
  makeJpeg(join(photos, 'Imported', 'IMG_0001.jpg'));
  makeJpeg(join(photos, '2019', 'beach.jpg'));
  makeJpeg(join(photos, 'beach copy.jpg'));
  makeMp4(join(photos, 'Imported', 'clip.mp4'));
  await cp(join(photos, 'Imported', 'clip.mp4'), join(photos, '2019', 'clip.mp4'));
  makePng(join(photos, 'unique.png'));
  makeHeic(join(photos, 'IMG_0002.HEIC'), work);
  await cp(join(photos, 'Imported', 'IMG_0001.jpg'), join(photos, 'notes.txt')); // not a photo by name
  await rm(join(work, '.heic-source.jpg'));
  await at(join(photos, '2019', 'beach.jpg'), '2019-07-01T10:00:00Z'); // the oldest copy of the JPEG
  await at(join(photos, 'Imported', 'IMG_0001.jpg'), '2023-01-01T10:00:00Z');
  await at(join(photos, 'beach copy.jpg'), '2024-01-01T10:00:00Z');
  await at(join(photos, 'Imported', 'clip.mp4'), '2020-01-01T00:00:00Z'); // the oldest copy of the video
  await at(join(photos, '2019', 'clip.mp4'), '2021-01-01T00:00:00Z');
}, 180_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('photosync dedupe', () => {
  it('dry run: reports the groups and the space, changes nothing', async () => {
    const before = await snapshot(photos);
    const result = await runCli(['dedupe', photos, '--state-dir', join(work, 'state'), '--json']);
    expect(result.code).toBe(0);
    const report = jsonOf<DedupeReport>(result);
    expect(report.applied).toBe(false);
    expect(report.moved).toBe(0);
    expect(report.groups.map((g) => [relative(photos, g.keep), g.duplicates.map((d) => relative(photos, d))])).toEqual([
      ['2019/beach.jpg', ['Imported/IMG_0001.jpg', 'beach copy.jpg']],
      ['Imported/clip.mp4', ['2019/clip.mp4']],
    ]);
    const jpeg = (await stat(join(photos, '2019', 'beach.jpg'))).size;
    const mp4 = (await stat(join(photos, '2019', 'clip.mp4'))).size;
    expect(report.bytesFreed).toBe(2 * jpeg + mp4);
    expect(await snapshot(photos)).toEqual(before);
  });

  it('--apply keeps the oldest, moves the rest to the trash, touches nothing else; a rerun finds nothing', async () => {
    const before = await snapshot(photos);
    const human = await runCli(['dedupe', photos, '--apply', '--state-dir', join(work, 'state')]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Moved 3 duplicate\(s\), .* to .*\.photosync-trash\/\d{4}-/);

    const after = await snapshot(photos);
    const [runDir] = await readdir(join(photos, '.photosync-trash'));
    const trash = `.photosync-trash/${runDir}`;
    const moved = ['Imported/IMG_0001.jpg', 'beach copy.jpg', '2019/clip.mp4'];
    const expected = Object.fromEntries(
      Object.entries(before).map(([path, value]) => [moved.includes(path) ? `${trash}/${path}` : path, value]),
    );
    expect(after).toEqual(expected);

    const rerun = jsonOf<DedupeReport>(
      await runCli(['dedupe', photos, '--apply', '--state-dir', join(work, 'state'), '--json']),
    );
    expect(rerun).toMatchObject({ groups: [], moved: 0 });
  });
});
