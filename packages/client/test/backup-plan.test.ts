// Small tests: what a backup sends, from hashes alone.
import { describe, expect, it } from 'vitest';
import { HAVE_BATCH_SIZE, haveBatches, planBackup, type HashedFile } from '../src/sync/backup-plan.ts';

const entry = (name: string, sha: string, size = 100): HashedFile => ({
  file: { path: `/p/${name}`, relativePath: name, size, mtimeMs: 1 },
  sha256: sha.repeat(64).slice(0, 64),
});

describe('planBackup', () => {
  it('sends only content the server lacks', () => {
    const plan = planBackup([entry('a.jpg', 'a'), entry('b.jpg', 'b')], new Set(['a'.repeat(64)]), 1000);
    expect(plan.alreadyStored.map((e) => e.file.relativePath)).toEqual(['a.jpg']);
    expect(plan.uploads.map((u) => u.file.relativePath)).toEqual(['b.jpg']);
    expect(plan.bytesToSend).toBe(100);
  });

  it('sends content found in several places once, naming the other copies', () => {
    const plan = planBackup([entry('x/a.jpg', 'c'), entry('y/a.jpg', 'c'), entry('z.jpg', 'd')], new Set(), 1000);
    expect(plan.uploads).toHaveLength(2);
    expect(plan.uploads[0]?.file.relativePath).toBe('x/a.jpg');
    expect(plan.uploads[0]?.copies.map((f) => f.relativePath)).toEqual(['y/a.jpg']);
    expect(plan.bytesToSend).toBe(200);
  });

  it('routes files at or above the threshold through resumable uploads', () => {
    const plan = planBackup(
      [entry('small', 'e', 999), entry('edge', 'f', 1000), entry('big', '0', 5000)],
      new Set(),
      1000,
    );
    expect(plan.uploads.map((u) => [u.file.relativePath, u.route])).toEqual([
      ['small', 'single-request'],
      ['edge', 'resumable'],
      ['big', 'resumable'],
    ]);
  });

  it('has nothing to send for an unchanged library', () => {
    const inventory = [entry('a', 'a'), entry('b', 'b')];
    const plan = planBackup(inventory, new Set(inventory.map((e) => e.sha256)), 10);
    expect(plan.uploads).toEqual([]);
    expect(plan.bytesToSend).toBe(0);
  });
});

describe('haveBatches', () => {
  it('asks for each distinct hash once, at most 10,000 per request', () => {
    const inventory = Array.from({ length: HAVE_BATCH_SIZE + 5 }, (_, i) => ({
      file: { path: `/p/${i}`, relativePath: `${i}`, size: 1, mtimeMs: 1 },
      sha256: i.toString(16).padStart(64, '0'),
    }));
    inventory.push({ ...inventory[0]!, file: { ...inventory[0]!.file, path: '/p/copy' } });
    const batches = haveBatches(inventory);
    expect(batches.map((b) => b.length)).toEqual([HAVE_BATCH_SIZE, 5]);
    expect(new Set(batches.flat()).size).toBe(HAVE_BATCH_SIZE + 5);
  });

  it('makes no request for an empty inventory', () => {
    expect(haveBatches([])).toEqual([]);
  });
});
