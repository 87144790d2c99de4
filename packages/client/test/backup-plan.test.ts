// Small tests: what a backup sends, from hashes alone, as files, check answers and upload outcomes arrive.
import { describe, expect, it } from 'vitest';
import { BackupPlanner, HAVE_BATCH_SIZE, type PlannedUpload } from '../src/sync/backup-plan.ts';
import type { LocalFile } from '../src/sync/types.ts';

const file = (name: string, size = 100): LocalFile => ({ path: `/p/${name}`, relativePath: name, size, mtimeMs: 1 });
const sha = (letter: string): string => letter.repeat(64).slice(0, 64);

/** A planner whose listener keeps the running totals a UI would show. */
function planner(threshold = 1000) {
  const seen = { settled: 0, bytesToSend: 0 };
  const plan = new BackupPlanner(threshold, {
    settled: (count) => (seen.settled += count),
    bytesToSendChanged: (delta) => (seen.bytesToSend += delta),
  });
  return { plan, seen };
}

function drainUploads(plan: BackupPlanner): PlannedUpload[] {
  const uploads: PlannedUpload[] = [];
  for (let next = plan.nextUpload(); next; next = plan.nextUpload()) uploads.push(next);
  return uploads;
}

describe('BackupPlanner', () => {
  it('sends only content the server lacks, and counts what it has as stored', () => {
    const { plan, seen } = planner();
    seen.bytesToSend = 200;
    plan.add(file('a.jpg'), sha('a'));
    plan.add(file('b.jpg'), sha('b'));
    const batch = plan.nextBatch();
    expect(batch).toEqual([sha('a'), sha('b')]);
    plan.checked(batch, new Set([sha('a')]));
    expect(drainUploads(plan).map((u) => u.file.relativePath)).toEqual(['b.jpg']);
    expect(plan.filesAlreadyStored).toBe(1);
    expect(seen).toEqual({ settled: 1, bytesToSend: 100 });
  });

  it('sends content found in several places once, whenever the copies turn up', () => {
    const { plan, seen } = planner();
    seen.bytesToSend = 400;
    plan.add(file('x/a.jpg'), sha('c'));
    plan.add(file('y/a.jpg'), sha('c'));
    const batch = plan.nextBatch();
    expect(batch).toEqual([sha('c')]);
    plan.checked(batch, new Set());
    const [upload] = drainUploads(plan);
    plan.add(file('z/a.jpg'), sha('c')); // found while the upload runs
    plan.uploaded(upload!);
    plan.add(file('w/a.jpg'), sha('c')); // found after it was stored
    expect(plan.nextBatch()).toEqual([]);
    expect(plan.nextUpload()).toBeUndefined();
    expect({ uploaded: plan.filesUploaded, stored: plan.filesAlreadyStored }).toEqual({ uploaded: 1, stored: 3 });
    expect(seen).toEqual({ settled: 4, bytesToSend: 100 });
  });

  it('of identical files, sends the first in scan order, whichever was hashed first', () => {
    const { plan } = planner();
    plan.add(file('y/copy.jpg'), sha('e'), 1); // hashed first by another lane
    plan.add(file('x/IMG_1.jpg'), sha('e'), 0);
    const batch = plan.nextBatch();
    plan.add(file('z/later.jpg'), sha('e'), 0.5); // still checking: it may take over too
    plan.checked(batch, new Set());
    const [upload] = drainUploads(plan);
    expect(upload?.file.relativePath).toBe('x/IMG_1.jpg');
    plan.add(file('a/first.jpg'), sha('e'), -1); // the upload runs: too late to change what is sent
    plan.uploaded(upload!);
    expect({ uploaded: plan.filesUploaded, stored: plan.filesAlreadyStored }).toEqual({ uploaded: 1, stored: 3 });
  });

  it('sends a copy in place of a failed upload, and a copy found after the failure', () => {
    const { plan, seen } = planner();
    seen.bytesToSend = 300;
    plan.add(file('gone.jpg'), sha('d'));
    plan.add(file('copy.jpg'), sha('d'));
    plan.checked(plan.nextBatch(), new Set());
    const [first] = drainUploads(plan);
    plan.uploadFailed(first!, { path: '/p/gone.jpg', error: 'cannot read: ENOENT' });
    const [second] = drainUploads(plan);
    expect(second?.file.relativePath).toBe('copy.jpg');
    plan.uploadFailed(second!, { path: '/p/copy.jpg', error: 'SHA-256 mismatch' });
    expect(plan.nextUpload()).toBeUndefined();
    plan.add(file('late.jpg'), sha('d'));
    expect(plan.nextBatch()).toEqual([]);
    const [third] = drainUploads(plan);
    expect(third?.file.relativePath).toBe('late.jpg');
    plan.uploaded(third!);
    expect(plan.failed.map((f) => f.path)).toEqual(['/p/gone.jpg', '/p/copy.jpg']);
    expect(plan.filesUploaded).toBe(1);
    expect(seen).toEqual({ settled: 3, bytesToSend: 100 });
  });

  it('routes files at or above the threshold through resumable uploads', () => {
    const { plan } = planner(1000);
    plan.add(file('small', 999), sha('e'));
    plan.add(file('edge', 1000), sha('f'));
    plan.add(file('big', 5000), sha('0'));
    plan.checked(plan.nextBatch(), new Set());
    expect(drainUploads(plan).map((u) => [u.file.relativePath, u.route])).toEqual([
      ['small', 'single-request'],
      ['edge', 'resumable'],
      ['big', 'resumable'],
    ]);
  });

  it('asks for each distinct hash once, at most 10,000 per request', () => {
    const { plan } = planner();
    const hashes = Array.from({ length: HAVE_BATCH_SIZE + 5 }, (_, i) => i.toString(16).padStart(64, '0'));
    hashes.forEach((hash, i) => plan.add(file(`${i}`, 1), hash));
    plan.add(file('copy', 1), hashes[0]!);
    const first = plan.nextBatch();
    const second = plan.nextBatch();
    expect([first.length, second.length]).toEqual([HAVE_BATCH_SIZE, 5]);
    expect(new Set([...first, ...second]).size).toBe(HAVE_BATCH_SIZE + 5);
    expect(plan.nextBatch()).toEqual([]);
  });

  it('keeps track of how far hashing has run ahead of the uploads', () => {
    const { plan } = planner();
    plan.add(file('a', 300), sha('a'));
    plan.add(file('b', 500), sha('b'));
    expect(plan.pendingBytes).toBe(800);
    plan.checked(plan.nextBatch(), new Set([sha('a')]));
    expect(plan.pendingBytes).toBe(500);
    plan.nextUpload();
    expect(plan.pendingBytes).toBe(0);
  });

  it('refuses an outcome for an upload it did not hand out', () => {
    const { plan } = planner();
    expect(() => plan.uploaded({ file: file('a'), sha256: sha('a'), route: 'single-request' })).toThrow(
      /no upload .* in progress/,
    );
  });
});
