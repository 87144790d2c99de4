/**
 * Where a restored file goes (small, pure): names from a manifest never leave the restore folder and are
 * valid on every OS; clashes get ` (n)` before the extension; date ranges use the recorded time.
 */
import { describe, expect, it } from 'vitest';
import type { FileMetadata } from '@photosync/crypto';
import { inDateRange, recordedTimeOf, restorePathOf, withSuffix } from '../../src/vault-sync/restore-names.ts';

const ID = 'ab'.repeat(32);

describe('restorePathOf', () => {
  it('keeps sub-folders and plain names as they are', () => {
    expect(restorePathOf('trips/2021/IMG_1.jpg', ID)).toBe('trips/2021/IMG_1.jpg');
    expect(restorePathOf('IMG_0001.JPG', ID)).toBe('IMG_0001.JPG');
  });

  it('never leaves the folder: no absolute paths, no .., backslashes are separators', () => {
    expect(restorePathOf('../../etc/passwd', ID)).toBe('etc/passwd');
    expect(restorePathOf('/root/.ssh/id', ID)).toBe('root/.ssh/id');
    expect(restorePathOf('a\\..\\..\\b.jpg', ID)).toBe('a/b.jpg');
    expect(restorePathOf('./x/./y.png', ID)).toBe('x/y.png');
  });

  it('makes names Windows accepts', () => {
    expect(restorePathOf('C:\\photos\\a?b*.jpg', ID)).toBe('C_/photos/a_b_.jpg');
    expect(restorePathOf('CON.jpg', ID)).toBe('_CON.jpg');
    expect(restorePathOf('trailing. ', ID)).toBe('trailing');
    expect(restorePathOf('tab\there.jpg', ID)).toBe('tab_here.jpg');
  });

  it('falls back to a name from the manifest id when nothing usable is left', () => {
    expect(restorePathOf('', ID)).toBe(`unnamed-${ID.slice(0, 16)}`);
    expect(restorePathOf('../..', ID)).toBe(`unnamed-${ID.slice(0, 16)}`);
  });
});

describe('withSuffix', () => {
  it('numbers the name before its extension, in its folder', () => {
    expect(withSuffix('a/IMG_1.jpg', 0)).toBe('a/IMG_1.jpg');
    expect(withSuffix('a/IMG_1.jpg', 1)).toBe('a/IMG_1 (1).jpg');
    expect(withSuffix('archive.tar.gz', 2)).toBe('archive.tar (2).gz');
    expect(withSuffix('dir.v2/README', 1)).toBe('dir.v2/README (1)');
    expect(withSuffix('.hidden', 1)).toBe('.hidden (1)');
  });
});

describe('dates', () => {
  const metadata = (fields: Partial<FileMetadata>): FileMetadata => ({
    assetId: 'a',
    filename: 'a.jpg',
    mediaType: 'photo',
    creationTime: null,
    exifCaptureTime: null,
    exifMake: null,
    exifModel: null,
    perceptualHash: null,
    ...fields,
  });

  it('uses the creation time, else the EXIF capture time (number or text)', () => {
    expect(recordedTimeOf(metadata({ creationTime: 5, exifCaptureTime: 9 }))).toBe(5);
    expect(recordedTimeOf(metadata({ exifCaptureTime: 9 }))).toBe(9);
    expect(recordedTimeOf(metadata({ exifCaptureTime: '2021:06:15 12:00:00' }))).toBe(Date.UTC(2021, 5, 15, 12));
    expect(recordedTimeOf(metadata({ exifCaptureTime: 'not a date' }))).toBeUndefined();
    expect(recordedTimeOf(metadata({}))).toBeUndefined();
  });

  it('ranges are inclusive, open on either side, and leave undated files out of a bounded range', () => {
    const from = new Date(10);
    const to = new Date(20);
    expect([9, 10, 20, 21].map((t) => inDateRange(t, from, to))).toEqual([false, true, true, false]);
    expect(inDateRange(5, undefined, to)).toBe(true);
    expect(inDateRange(25, from, undefined)).toBe(true);
    expect(inDateRange(undefined, undefined, undefined)).toBe(true);
    expect(inDateRange(undefined, from, undefined)).toBe(false);
  });
});
