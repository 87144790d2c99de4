/**
 * Real media files for the media tests, made with the tools a user's files come from: ImageMagick, heif-enc,
 * ffmpeg and exiftool (test/global-setup.ts installs them as root, or the run stops with the command to run).
 * A missing tool fails the test with the install command; nothing is skipped.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';

const run = promisify(execFile);

/** Making real media files (ImageMagick, AVIF and HEVC encoders, x264) takes a while on a loaded machine. */
export const FIXTURE_TIMEOUT_MS = 300_000;

export const INSTALL_TOOLS =
  'apt-get install -y --no-install-recommends ffmpeg imagemagick libheif-examples libimage-exiftool-perl';

/** Run a media tool; a missing binary fails with the command that installs it. */
export async function tool(command: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run(command, args, { maxBuffer: 64 * 2 ** 20 });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${command} is not installed. Run as root:\n  ${INSTALL_TOOLS}`, { cause: error });
    }
    throw error;
  }
}

export interface ExifInput {
  readonly orientation?: number;
  /** "2021:06:15 14:30:00" */
  readonly dateTimeOriginal?: string;
  readonly offset?: string;
  readonly make?: string;
  readonly model?: string;
  /** Signed decimal degrees. */
  readonly latitude?: number;
  readonly longitude?: number;
}

/** Write EXIF tags into a file in place with exiftool. */
export async function writeExif(path: string, exif: ExifInput): Promise<void> {
  const args = ['-q', '-overwrite_original', '-n'];
  if (exif.orientation !== undefined) args.push(`-Orientation=${exif.orientation}`);
  if (exif.dateTimeOriginal) args.push(`-DateTimeOriginal=${exif.dateTimeOriginal}`);
  if (exif.offset) args.push(`-OffsetTimeOriginal=${exif.offset}`);
  if (exif.make) args.push(`-Make=${exif.make}`);
  if (exif.model) args.push(`-Model=${exif.model}`);
  if (exif.latitude !== undefined) {
    args.push(`-GPSLatitude=${Math.abs(exif.latitude)}`, `-GPSLatitudeRef=${exif.latitude < 0 ? 'S' : 'N'}`);
  }
  if (exif.longitude !== undefined) {
    args.push(`-GPSLongitude=${Math.abs(exif.longitude)}`, `-GPSLongitudeRef=${exif.longitude < 0 ? 'W' : 'E'}`);
  }
  await tool('exiftool', [...args, path]);
}

/** A landscape photo-like JPEG (ImageMagick plasma), optionally with EXIF. */
export async function makeJpeg(dir: string, name: string, width: number, height: number, exif?: ExifInput) {
  const path = join(dir, name);
  await tool('convert', ['-size', `${width}x${height}`, 'plasma:fractal', '-quality', '90', path]);
  if (exif) await writeExif(path, exif);
  return path;
}

/** Convert `source` to another format with ImageMagick (the extension decides), then add EXIF if asked. */
export async function convertTo(source: string, target: string, exif?: ExifInput): Promise<string> {
  await tool('convert', [source, target]);
  if (exif) await writeExif(target, exif);
  return target;
}

/** HEIC from heif-enc, which copies the source JPEG's EXIF (orientation included) into the file. */
export async function heifEnc(source: string, target: string): Promise<string> {
  await tool('heif-enc', ['-q', '60', source, '-o', target]);
  return target;
}

/** Two-frame GIF: red first, then blue. */
export async function makeGif(dir: string, name: string, width: number, height: number): Promise<string> {
  const path = join(dir, name);
  await tool('convert', ['-size', `${width}x${height}`, 'xc:red', 'xc:blue', '-loop', '0', path]);
  return path;
}

/**
 * An H.264 MP4 whose frames are black before 0.2 s and white after (so the poster frame's time shows), with
 * a container creation time.
 */
export async function makeMp4(dir: string, name: string, seconds: number, creationTime: string): Promise<string> {
  const path = join(dir, name);
  const source = `color=c=black:s=640x360:r=30:d=${seconds},geq=lum='if(lt(T\\,0.2)\\,16\\,235)':cb=128:cr=128`;
  await tool(
    'ffmpeg',
    ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-c:v', 'libx264', '-pix_fmt', 'yuv420p'].concat([
      '-metadata',
      `creation_time=${creationTime}`,
      path,
    ]),
  );
  return path;
}

/** The first `keep` bytes of a file. */
export async function truncated(source: string, target: string, keep: number): Promise<string> {
  await writeFile(target, (await readFile(source)).subarray(0, keep));
  return target;
}

/**
 * A valid PNG of width × height black pixels, 1 bit per pixel, made in a few seconds and ~100 KB: the
 * decompression-bomb case (it would need width × height × 3 bytes to decode).
 */
export function hugePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const row = Buffer.alloc(1 + Math.ceil(width / 8));
  const rows = Buffer.alloc(row.length * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A copy of a JPEG with a comment segment after SOI: same picture, different bytes (so not a duplicate). */
export async function jpegVariant(source: string, target: string, tag: string): Promise<string> {
  const bytes = await readFile(source);
  const comment = Buffer.from(tag, 'utf8');
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(comment.length + 2, 2);
  await writeFile(target, Buffer.concat([bytes.subarray(0, 2), segment, comment, bytes.subarray(2)]));
  return target;
}

export async function copy(source: string, target: string): Promise<string> {
  await copyFile(source, target);
  return target;
}

/** True when ImageMagick can write HEIC here (else the second HEIC producer is ffmpeg). */
export async function imageMagickWritesHeic(): Promise<boolean> {
  const formats = await tool('convert', ['-list', 'format']);
  return /^\s*HEIC\*?\s+\S+\s+rw/m.test(formats) && existsSync('/usr/bin/convert');
}
