// Orientation: our transform for each EXIF orientation equals libvips' own auto-orientation of a JPEG carrying
// that tag (pixel by pixel), and the HEIF container-transform detector reads irot/imir from real box layouts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOrientation, displayedSize, heifHasTransforms } from '../../../src/services/media/orientation.ts';
import { tool, writeExif } from '../support/fixtures.ts';

describe('applyOrientation', () => {
  let dir: string;
  let source: { data: Buffer; info: OutputInfo };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photosync-orientation-'));
    // An asymmetric picture: a red block top-left and a blue block bottom-right on white.
    await tool('convert', [
      ...['-size', '60x40', 'xc:white', '-fill', 'red', '-draw', 'rectangle 0,0 19,9'],
      ...['-fill', 'blue', '-draw', 'rectangle 40,30 59,39', join(dir, 'base.png')],
    ]);
    source = await sharp(join(dir, 'base.png')).raw().toBuffer({ resolveWithObject: true });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('orientation %i matches libvips auto-orientation', async (orientation) => {
    const jpeg = join(dir, `o${orientation}.jpg`);
    await tool('convert', [join(dir, 'base.png'), '-quality', '100', jpeg]);
    await writeExif(jpeg, { orientation });
    const expected = await sharp(jpeg).autoOrient().raw().toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: source.info.width, height: source.info.height, channels: source.info.channels } };
    const actual = await applyOrientation(sharp(source.data, raw), orientation)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([actual.info.width, actual.info.height]).toEqual([expected.info.width, expected.info.height]);
    let difference = 0;
    for (let i = 0; i < expected.data.length; i += 1)
      difference += Math.abs((expected.data[i] ?? 0) - (actual.data[i] ?? 0));
    // JPEG noise only: a wrong turn or mirror moves the coloured blocks and costs far more than this.
    expect(difference / expected.data.length).toBeLessThan(3);
  });

  it('swaps width and height for the quarter turns only', () => {
    expect(displayedSize(4000, 3000, 6)).toEqual({ width: 3000, height: 4000 });
    expect(displayedSize(4000, 3000, 3)).toEqual({ width: 4000, height: 3000 });
    expect(displayedSize(4000, 3000, null)).toEqual({ width: 4000, height: 3000 });
  });
});

/** An ISO-BMFF box: 32-bit size, type, payload. */
function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(body.length + 8, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

function heif(...properties: Uint8Array[]): Uint8Array {
  const ftyp = box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1'));
  const hdlr = box('hdlr', Buffer.alloc(4), Buffer.from('\0\0\0\0pict', 'latin1'), Buffer.alloc(13));
  const ipco = box('ipco', box('ispe', Buffer.alloc(12)), ...properties);
  const meta = box('meta', Buffer.alloc(4), hdlr, box('iprp', ipco, box('ipma', Buffer.alloc(8))));
  return Buffer.concat([ftyp, meta, box('mdat', Buffer.alloc(16))]);
}

describe('heifHasTransforms', () => {
  it('is false without rotation or mirror properties', () => {
    expect(heifHasTransforms(heif())).toBe(false);
  });

  it('is true for a quarter-turn irot and for imir, false for irot 0', () => {
    expect(heifHasTransforms(heif(box('irot', Uint8Array.of(1))))).toBe(true);
    expect(heifHasTransforms(heif(box('imir', Uint8Array.of(0))))).toBe(true);
    expect(heifHasTransforms(heif(box('irot', Uint8Array.of(0))))).toBe(false);
  });

  it('survives truncated and garbage input', () => {
    const file = heif(box('irot', Uint8Array.of(3)));
    for (const cut of [0, 7, 30, 60, file.length - 20])
      expect(() => heifHasTransforms(file.subarray(0, cut))).not.toThrow();
    expect(heifHasTransforms(Buffer.from('not a heif file at all, just text'))).toBe(false);
  });
});
