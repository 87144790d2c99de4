// Small tests: which first bytes make a file a photo or video, and the extension rules around them.
import { describe, expect, it } from 'vitest';
import { isDocumentName, mediaTypeOfName, sniffMedia } from '../src/sync/media-sniff.ts';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part)));

/** An ISO-BMFF ftyp box: size, 'ftyp', major brand, minor version, compatible brands. */
const ftyp = (major: string, ...compatible: string[]): Uint8Array => {
  const size = 16 + 4 * compatible.length;
  return bytes([0, 0, 0, size], 'ftyp', major, [0, 0, 0, 0], ...compatible);
};

describe('sniffMedia', () => {
  it.each([
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe1]), 'image/jpeg'],
    ['PNG', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]), 'image/png'],
    ['GIF', bytes('GIF89a'), 'image/gif'],
    ['WebP', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), 'image/webp'],
    ['HEIC', ftyp('heic', 'mif1', 'heic'), 'image/heic'],
    ['HEIF (mif1)', ftyp('mif1', 'mif1'), 'image/heif'],
    ['AVIF', ftyp('avif', 'mif1', 'avif'), 'image/avif'],
    ['CR3', ftyp('crx ', 'crx '), 'image/x-canon-cr3'],
    ['MP4', ftyp('isom', 'isom', 'iso2', 'mp41'), 'video/mp4'],
    ['MOV', ftyp('qt  ', 'qt  '), 'video/quicktime'],
    ['3GP', ftyp('3gp4', 'isom'), 'video/3gpp'],
    ['TIFF little-endian', bytes('II', [0x2a, 0]), 'image/tiff'],
    ['TIFF big-endian', bytes('MM', [0, 0x2a]), 'image/tiff'],
    ['Matroska', bytes([0x1a, 0x45, 0xdf, 0xa3], 'matroska'), 'video/x-matroska'],
    ['WebM', bytes([0x1a, 0x45, 0xdf, 0xa3], [0x42, 0x82, 0x84], 'webm'), 'video/webm'],
    ['AVI', bytes('RIFF', [1, 2, 3, 4], 'AVI LIST'), 'video/x-msvideo'],
    ['MPEG-PS', bytes([0, 0, 1, 0xba]), 'video/mpeg'],
    ['Fuji RAF', bytes('FUJIFILMCCD-RAW 0201'), 'image/x-fuji-raf'],
  ])('%s', (_name, head, mediaType) => {
    expect(sniffMedia(head)?.mediaType).toBe(mediaType);
  });

  it('tells photos from videos', () => {
    expect(sniffMedia(ftyp('heic'))?.kind).toBe('photo');
    expect(sniffMedia(ftyp('mp42'))?.kind).toBe('video');
  });

  it('finds a known compatible brand when the major brand is unknown', () => {
    expect(sniffMedia(ftyp('XAVC', 'XAVC', 'mp42'))?.mediaType).toBe('video/mp4');
  });

  it('names TIFF-based RAW files from their extension', () => {
    const tiff = bytes('II', [0x2a, 0]);
    expect(sniffMedia(tiff, '/a/IMG_1.DNG')?.mediaType).toBe('image/x-adobe-dng');
    expect(sniffMedia(tiff, '/a/DSC_1.nef')?.mediaType).toBe('image/x-nikon-nef');
  });

  it('recognises an MPEG transport stream by its packet sync bytes', () => {
    const head = new Uint8Array(512);
    head[0] = 0x47;
    head[188] = 0x47;
    expect(sniffMedia(head)?.mediaType).toBe('video/mp2t');
    head[188] = 0;
    expect(sniffMedia(head)).toBeUndefined();
  });

  it.each([
    ['text', bytes('hello world, this is not a photo')],
    ['PDF', bytes('%PDF-1.7')],
    ['ZIP', bytes('PK', [3, 4])],
    ['audio-only MP4', ftyp('M4A ', 'M4A ', 'mp42').subarray(0, 16)],
    ['empty', new Uint8Array(0)],
    ['truncated JPEG marker', bytes([0xff, 0xd8])],
  ])('rejects %s', (_name, head) => {
    expect(sniffMedia(head)).toBeUndefined();
  });
});

describe('names', () => {
  it('maps photo and video extensions, case-insensitively', () => {
    expect(mediaTypeOfName('/x/IMG_0001.HEIC')).toBe('image/heic');
    expect(mediaTypeOfName('clip.mov')).toBe('video/quicktime');
    expect(mediaTypeOfName('notes.txt')).toBeUndefined();
    expect(mediaTypeOfName('.jpg')).toBeUndefined();
  });

  it('knows which names are documents not worth opening', () => {
    expect(isDocumentName('/x/report.PDF')).toBe(true);
    expect(isDocumentName('/x/IMG_0001.xmp')).toBe(true);
    expect(isDocumentName('/x/IMG_0001')).toBe(false);
    expect(isDocumentName('/x/IMG_0001.jpg')).toBe(false);
  });
});
