// EXIF normalisation and content sniffing: pure functions, small tests.
import { describe, expect, it } from 'vitest';
import { captureTime, coordinate, exifFields } from '../../../src/services/media/exif-fields.ts';
import { sniffMedia } from '../../../src/services/media/media-sniff.ts';
import { decodeCursor, encodeCursor } from '../../../src/services/media/media-service.ts';
import { parseProbe } from '../../../src/services/media/video-probe.ts';

describe('captureTime', () => {
  it('keeps the offset and computes the instant', () => {
    expect(captureTime('2021:06:15 14:30:00', '+02:00')).toEqual({
      iso: '2021-06-15T14:30:00+02:00',
      ms: Date.UTC(2021, 5, 15, 12, 30),
      source: 'exif',
    });
  });

  it('adds sub-seconds', () => {
    expect(captureTime('2021:06:15 14:30:00', '-05:00', '25')?.iso).toBe('2021-06-15T14:30:00.250-05:00');
  });

  it('records a time without offset as local (placed as if UTC for ordering)', () => {
    expect(captureTime('2019:12:31 23:59:59', undefined)).toEqual({
      iso: '2019-12-31T23:59:59',
      ms: Date.UTC(2019, 11, 31, 23, 59, 59),
      source: 'exif-local',
    });
    expect(captureTime('2019:12:31 23:59:59', 'garbage')?.source).toBe('exif-local');
  });

  it.each(['0000:00:00 00:00:00', '', 'yesterday', '2021:13:01 00:00:00', 42])('refuses %j', (value) => {
    expect(captureTime(value, '+01:00')).toBeNull();
  });
});

describe('coordinate and exifFields', () => {
  it('signs by reference and accepts DMS arrays', () => {
    expect(coordinate([33, 30, 0], 'S', 90)).toBe(-33.5);
    expect(coordinate(70.25, 'W', 180)).toBe(-70.25);
    expect(coordinate(-70.25, 'W', 180)).toBe(-70.25);
    expect(coordinate(200, 'E', 180)).toBeNull();
  });

  it('treats 0/0 as no position and cleans strings', () => {
    const fields = exifFields({ GPSLatitude: 0, GPSLongitude: 0, Make: 'Canon\u0000 ', Model: '  ', Orientation: 9 });
    expect(fields).toMatchObject({ latitude: null, longitude: null, make: 'Canon', model: null, orientation: null });
  });

  it('falls back to CreateDate when DateTimeOriginal is missing', () => {
    expect(exifFields({ CreateDate: '2020:01:02 03:04:05', OffsetTime: 'Z' }).capturedAt?.iso).toBe(
      '2020-01-02T03:04:05Z',
    );
  });
});

describe('sniffMedia', () => {
  const ftyp = (major: string, ...compatible: string[]) => {
    const brands = Buffer.from([major, '\0\0\0\0', ...compatible].join(''), 'latin1');
    const size = Buffer.alloc(4);
    size.writeUInt32BE(brands.length + 8);
    return Buffer.concat([size, Buffer.from('ftyp', 'latin1'), brands]);
  };

  it.each([
    [Buffer.from([0xff, 0xd8, 0xff, 0xe1]), 'photo', 'jpeg'],
    [Buffer.from('89504e470d0a1a0a', 'hex'), 'photo', 'png'],
    [Buffer.from('GIF89a'), 'photo', 'gif'],
    [Buffer.from('RIFF\0\0\0\0WEBPVP8 '), 'photo', 'webp'],
    [ftyp('heic', 'mif1', 'heic'), 'photo', 'heic'],
    [ftyp('mif1', 'mif1', 'heic'), 'photo', 'heic'],
    [ftyp('mif1', 'avif', 'mif1'), 'photo', 'avif'],
    [ftyp('avif', 'mif1'), 'photo', 'avif'],
    [ftyp('isom', 'iso2', 'avc1', 'mp41'), 'video', 'mp4'],
    [ftyp('qt  ', 'qt  '), 'video', 'mp4'],
    [Buffer.from('1a45dfa3', 'hex'), 'video', 'matroska'],
    [Buffer.from('hello, world'), 'other', null],
  ])('classifies %s', (bytes, kind, format) => {
    expect(sniffMedia(bytes)).toEqual({ kind, format });
  });
});

describe('timeline cursors and ffprobe output', () => {
  it('round-trips and refuses tampering', () => {
    expect(decodeCursor(encodeCursor({ capturedAtMs: 1623760200000, id: 42 }))).toEqual({
      capturedAtMs: 1623760200000,
      id: 42,
    });
    expect(() => decodeCursor('not-a-cursor')).toThrow(/Invalid timeline cursor/);
    expect(() => decodeCursor(Buffer.from('1:2:3').toString('base64url'))).toThrow(/Invalid timeline cursor/);
  });

  it('prefers Apple creationdate with its offset and swaps sizes of rotated video', () => {
    const info = parseProbe({
      streams: [{ codec_type: 'video', width: 1920, height: 1080, side_data_list: [{ rotation: -90 }] }],
      format: {
        duration: '3.5',
        tags: {
          creation_time: '2021-06-15T12:30:00.000000Z',
          'com.apple.quicktime.creationdate': '2021-06-15T14:30:00+0200',
        },
      },
    });
    expect(info).toEqual({ durationMs: 3500, createdAt: '2021-06-15T14:30:00+02:00', width: 1080, height: 1920 });
    expect(parseProbe({ format: { tags: { creation_time: '1904-01-01T00:00:00Z' } } }).createdAt).toBeNull();
  });
});
