/**
 * Real media files for the browser tests, made with the system tools (ENV.md): a JPEG with an EXIF capture
 * time (ImageMagick + exiftool), a HEIC (libheif's heif-enc) and an H.264 MP4 (ffmpeg). The tools are
 * installed by the global setup as root; otherwise it stops with the apt-get command.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface MediaFile {
  readonly name: string;
  readonly path: string;
  readonly bytes: Buffer;
}

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function file(dir: string, name: string): Promise<MediaFile> {
  const path = join(dir, name);
  return { name, path, bytes: await readFile(path) };
}

/** A 1200×900 JPEG taken (per EXIF) on 14 July 2023 at 09:30 in UTC+2. */
export async function makeJpeg(dir: string, name = 'beach.jpg'): Promise<MediaFile> {
  const path = join(dir, name);
  run('convert', ['-size', '1200x900', 'plasma:fractal', '-quality', '85', path]);
  run('exiftool', [
    '-overwrite_original',
    '-DateTimeOriginal=2023:07:14 09:30:00',
    '-OffsetTimeOriginal=+02:00',
    '-Make=TestCam',
    '-Model=Model 1',
    path,
  ]);
  return file(dir, name);
}

/** A 1024×768 HEIC encoded by heif-enc from a PNG. */
export async function makeHeic(dir: string, name = 'mountain.heic'): Promise<MediaFile> {
  const png = join(dir, `${name}.source.png`);
  run('convert', ['-size', '1024x768', 'plasma:fractal', png]);
  run('heif-enc', ['-q', '60', png, '-o', join(dir, name)]);
  return file(dir, name);
}

/** A 3-second 640×360 H.264 MP4 with the index at the front (so it streams). */
export async function makeMp4(dir: string, name = 'clip.mp4'): Promise<MediaFile> {
  const path = join(dir, name);
  run('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360:rate=25',
    '-t',
    '3',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    path,
  ]);
  return file(dir, name);
}

/** A small PNG (for the drag-and-drop test). */
export async function makePng(dir: string, name = 'dropped.png'): Promise<MediaFile> {
  run('convert', ['-size', '64x48', 'gradient:orange-purple', join(dir, name)]);
  return file(dir, name);
}
