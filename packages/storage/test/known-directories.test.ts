import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KnownDirectories } from '../src/known-directories.ts';

describe('KnownDirectories', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'photosync-dirs-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('makes a missing directory, and makes it again when it was removed behind its back', async () => {
    const directories = new KnownDirectories();
    const dir = join(root, 'a', 'b');
    await directories.within(dir, () => writeFile(join(dir, 'one'), '1', { flag: 'wx' }));
    await rm(join(root, 'a'), { recursive: true });
    await directories.within(dir, () => writeFile(join(dir, 'two'), '2', { flag: 'wx' }));
    expect(await readFile(join(dir, 'two'), 'utf8')).toBe('2');
  });

  it('passes on other errors without retrying', async () => {
    const directories = new KnownDirectories();
    let attempts = 0;
    const create = async (): Promise<void> => {
      attempts += 1;
      await writeFile(join(root, 'taken'), 'x', { flag: 'wx' });
    };
    await directories.within(root, create);
    await expect(directories.within(root, create)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(attempts).toBe(2);
  });
});
