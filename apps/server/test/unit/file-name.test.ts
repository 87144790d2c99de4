import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../src/services/errors.ts';
import {
  decodeHeaderFileName,
  nameCandidates,
  sanitizeFileName,
  splitExtension,
} from '../../src/services/library/file-name.ts';

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
const roundTripsAsUtf8 = (text: string): boolean => Buffer.from(text, 'utf8').toString('utf8') === text;

describe('splitExtension', () => {
  it.each([
    ['photo.jpg', ['photo', '.jpg']],
    ['photo.final.JPG', ['photo.final', '.JPG']],
    ['.hidden', ['.hidden', '']],
    ['README', ['README', '']],
    [`x.${'a'.repeat(15)}`, ['x', `.${'a'.repeat(15)}`]],
    [`x.${'a'.repeat(16)}`, [`x.${'a'.repeat(16)}`, '']],
  ])('%j → %j', (name, expected) => {
    expect(splitExtension(name)).toEqual(expected);
  });
});

describe('sanitizeFileName', () => {
  it.each([
    ['photo.jpg', 'photo.jpg'],
    ['../evil.jpg', 'evil.jpg'],
    ['..\\evil.jpg', 'evil.jpg'],
    ['a/b/c.jpg', 'c.jpg'],
    ['C:\\Users\\me\\x.jpg', 'x.jpg'],
    ['nul\u0000byte.jpg', 'nul_byte.jpg'],
    ['tab\there\nnew\u007f\u0085.jpg', 'tab_here_new__.jpg'],
    ['<>:"|?*.jpg', '_______.jpg'],
    ['trailing.jpg. . .', 'trailing.jpg'],
    ['   padded.jpg  ', 'padded.jpg'],
    ['Été 東京 📷.heic', 'Été 東京 📷.heic'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeFileName(raw)).toBe(expected);
  });

  it('normalises to NFC', () => {
    const decomposed = 'Ete\u0301.jpg';
    expect(sanitizeFileName(decomposed)).toBe('Et\u00e9.jpg');
  });

  it.each(['', '.', '..', '...', '/', '\\', '../', 'a/..', '   ', ' . . ', '\u0000/'])(
    'refuses %j with INVALID_FILENAME',
    (raw) => {
      let thrown: unknown;
      try {
        sanitizeFileName(raw);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(BadRequest);
      expect(thrown).toMatchObject({ status: 400, code: 'INVALID_FILENAME' });
    },
  );

  it.each([
    ['ASCII', `${'a'.repeat(10_000)}.jpg`],
    ['two-byte', `${'é'.repeat(10_000)}.jpg`],
    ['three-byte', `${'東'.repeat(10_000)}.jpg`],
    ['astral', `${'📷'.repeat(10_000)}.jpg`],
  ])('cuts a long %s name to ≤ 255 bytes on a character boundary, keeping the extension', (_kind, raw) => {
    const name = sanitizeFileName(raw);
    expect(utf8Bytes(name)).toBeLessThanOrEqual(255);
    expect(name.endsWith('.jpg')).toBe(true);
    expect(roundTripsAsUtf8(name)).toBe(true);
    expect(name.length).toBeGreaterThan(50);
    // Room is left for the clash suffix of the whole series.
    const last = [...nameCandidates(name)].at(-1) ?? '';
    expect(utf8Bytes(last)).toBeLessThanOrEqual(255);
  });

  it('leaves no trailing dot or space where a long name is cut', () => {
    for (const separator of ['.', ' ', '. ']) {
      const name = sanitizeFileName(`${'a'.repeat(242)}${separator}${'b'.repeat(300)}`);
      expect(name).not.toMatch(/[. ]$/);
      expect(utf8Bytes(name)).toBeLessThanOrEqual(255);
    }
  });

  it('never returns an empty name for a long name of dots', () => {
    const raw = `${'.'.repeat(300)}${'x'.repeat(20)}`;
    let result: string | undefined;
    try {
      result = sanitizeFileName(raw);
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_FILENAME' });
    }
    if (result !== undefined) {
      expect(result).not.toBe('');
      expect(result).not.toMatch(/^\.*$/);
      expect(utf8Bytes(result)).toBeLessThanOrEqual(255);
    }
  });
});

describe('nameCandidates', () => {
  it('yields the name, then "stem (n).ext"', () => {
    const first = [...nameCandidates('photo.jpg', 3)];
    expect(first).toEqual(['photo.jpg', 'photo (1).jpg', 'photo (2).jpg', 'photo (3).jpg']);
  });

  it('appends to names without an extension and to dotfiles', () => {
    expect([...nameCandidates('README', 2)]).toEqual(['README', 'README (1)', 'README (2)']);
    expect([...nameCandidates('.hidden', 1)]).toEqual(['.hidden', '.hidden (1)']);
    expect([...nameCandidates('a.tar.gz', 1)]).toEqual(['a.tar.gz', 'a.tar (1).gz']);
  });

  it('is bounded', () => {
    expect([...nameCandidates('x.jpg')]).toHaveLength(10_001);
    expect(new Set(nameCandidates('x.jpg')).size).toBe(10_001);
  });
});

describe('decodeHeaderFileName', () => {
  const name = 'Été à 東京 📷.jpg';

  it('keeps plain ASCII names', () => {
    expect(decodeHeaderFileName('IMG_0001.JPG')).toBe('IMG_0001.JPG');
  });

  it('decodes raw UTF-8 bytes that Node handed over as latin1', () => {
    expect(decodeHeaderFileName(Buffer.from(name, 'utf8').toString('latin1'))).toBe(name);
  });

  it('decodes percent-encoding', () => {
    expect(decodeHeaderFileName(encodeURIComponent(name))).toBe(name);
    expect(decodeHeaderFileName('%2e%2e%2fevil.jpg')).toBe('../evil.jpg');
  });

  it('keeps names that are already Unicode', () => {
    expect(decodeHeaderFileName(name)).toBe(name);
  });

  it('keeps a real latin1 name that is not valid UTF-8', () => {
    expect(decodeHeaderFileName('caf\u00e9.jpg')).toBe('caf\u00e9.jpg');
  });

  it('keeps a "%" that is not valid percent-encoding', () => {
    expect(decodeHeaderFileName('100%.jpg')).toBe('100%.jpg');
    expect(decodeHeaderFileName('50%zz.jpg')).toBe('50%zz.jpg');
    expect(decodeHeaderFileName('bad%E0%A4.jpg')).toBe('bad%E0%A4.jpg');
  });
});
