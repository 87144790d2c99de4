import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsBlobStore } from '../src/index.ts';
import { describeBlobStoreConformance } from './conformance.ts';

async function walk(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(root, path)));
    else files.push(relative(root, path));
  }
  return files;
}

describeBlobStoreConformance('filesystem', async () => {
  const root = await mkdtemp(join(tmpdir(), 'photosync-blobs-'));
  return {
    store: new FsBlobStore(root),
    rawEntries: () => walk(root),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

describe('FsBlobStore.stageFile', () => {
  it('links a file on the same filesystem into the store without copying it (same inode)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'photosync-blobs-'));
    try {
      const source = join(root, 'finished-upload.bin');
      await writeFile(source, randomBytes(1_000_000));
      const { ino } = await stat(source);
      const store = new FsBlobStore(join(root, 'store'));
      await store.commit(await store.stageFile(source), 'acct/moved.bin');
      expect((await stat(join(root, 'store', 'acct', 'moved.bin'))).ino).toBe(ino);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  // /dev/shm is a tmpfs on Linux, so a file there cannot be linked into a store under the temp directory.
  it('copies a file from another filesystem, hashing the copy, and leaves the source to its owner', async () => {
    const root = await mkdtemp(join(tmpdir(), 'photosync-blobs-'));
    const elsewhere = await mkdtemp('/dev/shm/photosync-source-');
    try {
      const [storeDevice, sourceDevice] = await Promise.all([stat(root), stat(elsewhere)]);
      expect(sourceDevice.dev, 'the source must live on another filesystem for this test').not.toBe(storeDevice.dev);
      const bytes = randomBytes(2_500_000);
      const source = join(elsewhere, 'upload.bin');
      await writeFile(source, bytes);
      const store = new FsBlobStore(root);
      const staged = await store.stageFile(source);
      expect(staged.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(await readdir(elsewhere)).toEqual(['upload.bin']);
      await store.commit(staged, 'acct/copied.bin');
      expect((await readFile(join(root, 'acct', 'copied.bin'))).equals(bytes)).toBe(true);
      expect(await walk(root)).toEqual(['acct/copied.bin']);
    } finally {
      await rm(root, { recursive: true, force: true });
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
});
