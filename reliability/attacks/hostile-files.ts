/**
 * Files made to mislead the server: PNGs built by hand (a valid 1-bit 30,000 × 30,000 image that inflates to
 * 900 megapixels from ~110 KB, and one whose header claims 30,000 × 30,000 RGBA over a few bytes of data),
 * and files whose content is not what their extension says. Pure builders, no I/O.
 */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(width: number, height: number, bitDepth: number, colorType: number, idat: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = bitDepth;
  header[9] = colorType;
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A complete, valid black-and-white PNG: `width × height` pixels that compress to almost nothing. */
export function decompressionBomb(width: number, height: number): Buffer {
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height);
  return png(width, height, 1, 0, deflateSync(rows, { level: 9 }));
}

/** A PNG whose header promises `width × height` RGBA pixels while its data holds a few bytes. */
export function lyingPng(width: number, height: number): Buffer {
  return png(width, height, 8, 6, deflateSync(Buffer.alloc(64)));
}

export async function smallJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .toBuffer();
}

export async function smallPng(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 40, channels: 4, background: { r: 0, g: 90, b: 200, alpha: 1 } } })
    .png()
    .toBuffer();
}

/** Name → bytes that are something else than the extension says. */
export async function misnamedFiles(): Promise<Record<string, Buffer>> {
  return {
    'holiday.jpg': await smallPng(),
    'clip.mp4': await smallJpeg(),
    'IMG_0001.HEIC': Buffer.from('this is a shopping list, not a photo\n'),
    'scan.png': Buffer.concat([Buffer.from('%PDF-1.4\n%âãÏÓ\n'), Buffer.alloc(2000, 0x20)]),
    'movie.mov': Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(4000, 7)]),
    'archive.jpeg': Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(3000, 1)]),
  };
}
