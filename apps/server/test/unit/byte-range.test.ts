import { describe, expect, it } from 'vitest';
import { contentDisposition, decideRange, etagOf, notModified, rangeStillValid } from '../../src/http/byte-range.ts';

describe('decideRange (file of 100 bytes)', () => {
  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=10-', 10, 99],
    ['bytes=-5', 95, 99],
    ['bytes=-500', 0, 99],
    ['bytes=90-1000', 90, 99],
    ['bytes=99-99', 99, 99],
    ['bytes= 5 - 6 ', 5, 6],
    ['bytes=0-99999999999999999999', 0, 99],
  ])('%j → bytes %i-%i', (header, start, end) => {
    expect(decideRange(header, 100)).toEqual({ kind: 'partial', range: { start, end } });
  });

  it.each(['bytes=100-', 'bytes=999999-', 'bytes=100-200', 'bytes=-0', 'bytes=99999999999999999999-'])(
    '%j → unsatisfiable',
    (header) => {
      expect(decideRange(header, 100)).toEqual({ kind: 'unsatisfiable' });
    },
  );

  it.each([
    undefined,
    '',
    'bytes=',
    'bytes=-',
    'bytes=abc',
    'bytes=5-2',
    'bytes=0-1,5-6',
    'items=0-5',
    '0-5',
    'bytes=1.5-3',
    'bytes=--5',
  ])('%j → the whole file', (header) => {
    expect(decideRange(header, 100)).toEqual({ kind: 'full' });
  });

  it('cannot satisfy any range of an empty file', () => {
    expect(decideRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(decideRange('bytes=-1', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(decideRange(undefined, 0)).toEqual({ kind: 'full' });
  });
});

describe('conditional requests', () => {
  const sha = 'ab'.repeat(32);
  const etag = etagOf(sha);

  it('makes a strong, quoted ETag from the content hash', () => {
    expect(etag).toBe(`"${sha}"`);
  });

  it('notModified matches the tag, a weak form of it, a list containing it, or *', () => {
    expect(notModified(etag, etag)).toBe(true);
    expect(notModified(`W/${etag}`, etag)).toBe(true);
    expect(notModified(`"other", ${etag}`, etag)).toBe(true);
    expect(notModified('*', etag)).toBe(true);
  });

  it('notModified is false without a header or for other tags', () => {
    expect(notModified(undefined, etag)).toBe(false);
    expect(notModified('', etag)).toBe(false);
    expect(notModified('"other"', etag)).toBe(false);
    expect(notModified(sha, etag)).toBe(false);
    expect(notModified(`"${'cd'.repeat(32)}"`, etag)).toBe(false);
  });

  it('rangeStillValid honours a Range only while If-Range names the current (strong) tag', () => {
    expect(rangeStillValid(undefined, etag)).toBe(true);
    expect(rangeStillValid(etag, etag)).toBe(true);
    expect(rangeStillValid(` ${etag} `, etag)).toBe(true);
    expect(rangeStillValid('"stale"', etag)).toBe(false);
    expect(rangeStillValid(`W/${etag}`, etag)).toBe(false);
    expect(rangeStillValid('Wed, 21 Oct 2015 07:28:00 GMT', etag)).toBe(false);
  });
});

describe('contentDisposition', () => {
  const exactName = (header: string): string => decodeURIComponent(header.split("filename*=UTF-8''")[1] ?? '');

  it('is an attachment with both the plain and the RFC 5987 name', () => {
    expect(contentDisposition('photo.jpg')).toBe(`attachment; filename="photo.jpg"; filename*=UTF-8''photo.jpg`);
  });

  it.each(['Été à 東京 📷.jpg', "it's (1) *star*.jpg", 'a"b\\c.jpg', 'semi;colon, comma.png', 'per%cent.jpg'])(
    'carries %j exactly in filename* and a safe ASCII fallback',
    (name) => {
      const header = contentDisposition(name);
      expect(header.startsWith('attachment; filename="')).toBe(true);
      expect(exactName(header)).toBe(name);
      const encoded = header.split("filename*=UTF-8''")[1] ?? '';
      expect(encoded).toMatch(/^[A-Za-z0-9%._~!-]+$/);
      const fallback = /filename="([^"]*)";/.exec(header)?.[1];
      expect(fallback).toBeDefined();
      expect(fallback).toMatch(/^[\x20-\x7e]*$/);
      expect(fallback).not.toMatch(/["\\]/);
      expect(fallback?.length).toBe(name.length);
    },
  );
});
