import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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
