// Medium tests on real folders: what the Node scanner finds, in which order, and what it skips.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileHashCache } from '../src/node/hash-cache.ts';
import { nodeLocalFiles } from '../src/node/local-files.ts';
import { sha256OfFile } from '../src/node/file-hash.ts';
import type { LocalFile } from '../src/sync/types.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic')]);
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom\0\0\x02\0isomiso2')]);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'photosync-scan-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function list(roots: string[], exclude: string[] = []): Promise<LocalFile[]> {
  const found: LocalFile[] = [];
  for await (const file of nodeLocalFiles({ exclude }).list(roots)) found.push(file);
  return found;
}

describe('nodeLocalFiles', () => {
  it('finds photos and videos by content, in name order, with relative paths', async () => {
    await mkdir(join(dir, 'b', 'deep'), { recursive: true });
    await writeFile(join(dir, 'b', 'deep', 'clip.mp4'), MP4);
    await writeFile(join(dir, 'a.jpg'), JPEG);
    await writeFile(join(dir, 'IMG_0001'), HEIC); // no extension: content decides
    await writeFile(join(dir, 'c.png'), PNG);
    const found = await list([dir]);
    expect(found.map((f) => [f.relativePath, f.mediaType])).toEqual([
      ['IMG_0001', 'image/heic'],
      ['a.jpg', 'image/jpeg'],
      ['b/deep/clip.mp4', 'video/mp4'],
      ['c.png', 'image/png'],
    ]);
    expect(found[1]).toMatchObject({ path: join(dir, 'a.jpg'), size: JPEG.length });
  });

  it('skips what is not a photo or video, whatever its name', async () => {
    await writeFile(join(dir, 'fake.jpg'), 'just text');
    await writeFile(join(dir, 'empty.jpg'), '');
    await writeFile(join(dir, 'notes.txt'), JPEG); // a document name is not even opened
    await writeFile(join(dir, 'real.jpg'), JPEG);
    expect((await list([dir])).map((f) => f.relativePath)).toEqual(['real.jpg']);
  });

  it('skips hidden folders and files, the trash and excluded folders', async () => {
    await mkdir(join(dir, '.photosync-trash', '2024'), { recursive: true });
    await mkdir(join(dir, '.thumbnails'));
    await mkdir(join(dir, 'Trash'));
    await writeFile(join(dir, '.photosync-trash', '2024', 'old.jpg'), JPEG);
    await writeFile(join(dir, '.thumbnails', 't.jpg'), JPEG);
    await writeFile(join(dir, 'Trash', 'x.jpg'), JPEG);
    await writeFile(join(dir, '._a.jpg'), JPEG);
    await writeFile(join(dir, 'a.jpg'), JPEG);
    expect((await list([dir], [join(dir, 'Trash')])).map((f) => f.relativePath)).toEqual(['a.jpg']);
  });

  it('does not block on a FIFO, follows links to files but not to folders', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe.jpg')]);
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'a.jpg'), JPEG);
    await symlink(join(dir, 'sub', 'a.jpg'), join(dir, 'link.jpg'));
    await symlink(dir, join(dir, 'sub', 'loop'));
    await symlink(join(dir, 'missing.jpg'), join(dir, 'dangling.jpg'));
    expect((await list([dir])).map((f) => f.relativePath)).toEqual(['link.jpg', 'sub/a.jpg']);
  });

  it('lists a file given as a root, and each file once when roots overlap', async () => {
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'a.jpg'), JPEG);
    const found = await list([dir, join(dir, 'sub'), join(dir, 'sub', 'a.jpg')]);
    expect(found.map((f) => f.relativePath)).toEqual(['sub/a.jpg']);
  });

  it('takes the media type of a file unchanged since an earlier run from the hash cache, without sniffing', async () => {
    await writeFile(join(dir, 'IMG_0002'), 'not the first bytes of any photo');
    await writeFile(join(dir, 'IMG_0003'), 'nor these');
    const [known, changed] = await Promise.all(['IMG_0002', 'IMG_0003'].map((name) => stat(join(dir, name))));
    const cache = await FileHashCache.open(join(dir, '.state'));
    const remembered = (name: string, info: { size: number; mtimeMs: number }) => ({
      path: join(dir, name),
      relativePath: name,
      size: info.size,
      mtimeMs: info.mtimeMs,
      mediaType: 'image/heic',
    });
    cache.set(remembered('IMG_0002', known!), 'a'.repeat(64));
    cache.set(remembered('IMG_0003', { ...changed!, mtimeMs: changed!.mtimeMs - 1000 }), 'b'.repeat(64));
    const found: LocalFile[] = [];
    const files = nodeLocalFiles({ knownMediaType: (file) => cache.knownMediaType(file) });
    for await (const file of files.list([dir])) found.push(file);
    // IMG_0003 changed since: sniffed again, and its new bytes are no photo.
    expect(found.map((f) => [f.relativePath, f.mediaType])).toEqual([['IMG_0002', 'image/heic']]);
  });

  it('reads from an offset and hashes a file', async () => {
    await writeFile(join(dir, 'a.jpg'), JPEG);
    const files = nodeLocalFiles();
    const [file] = await list([dir]);
    const chunks: Buffer[] = [];
    for await (const chunk of files.read(file!, 3)) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks)).toEqual(JPEG.subarray(3));
    expect(await files.sha256!(file!)).toBe(await sha256OfFile(file!.path));
    expect(await sha256OfFile(file!.path)).toBe(createHash('sha256').update(JPEG).digest('hex'));
  });
});
