/**
 * Real photo and video files for end-to-end tests, made with the real tools: ImageMagick (JPEG, PNG),
 * heif-enc (HEIC) and ffmpeg (MP4). A missing tool is installed when the tests run as root, else the run
 * fails with the exact command to run — never a silent skip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** `/usr/local/bin/convert` on these machines is a stand-in, not ImageMagick: require the real one. */
const TOOLS = ['/usr/bin/convert', '/usr/bin/heif-enc', '/usr/bin/ffmpeg'];
export const INSTALL_COMMAND = 'apt-get install -y --no-install-recommends imagemagick libheif-examples ffmpeg';

export function ensureMediaTools(): void {
  if (TOOLS.every((tool) => existsSync(tool))) return;
  if (process.getuid?.() !== 0) throw new Error(`missing media tools; run as root: ${INSTALL_COMMAND}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('sh', ['-c', INSTALL_COMMAND], { stdio: 'ignore', env });
  } catch {
    execFileSync('sh', ['-c', `apt-get update && ${INSTALL_COMMAND}`], { stdio: 'ignore', env });
  }
  const missing = TOOLS.filter((tool) => !existsSync(tool));
  if (missing.length > 0) throw new Error(`still missing ${missing.join(', ')} after: ${INSTALL_COMMAND}`);
}

const run = (file: string, args: string[]): void => {
  execFileSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
};

/** A JPEG whose pixels depend on `seed`, so different seeds give different files. */
export function makeJpeg(path: string, seed = 0): void {
  run('/usr/bin/convert', ['-size', `${96 + seed}x64`, 'gradient:red-blue', '-quality', '90', path]);
}

export function makePng(path: string, seed = 0): void {
  run('/usr/bin/convert', ['-size', `${64 + seed}x64`, 'pattern:checkerboard', `PNG24:${path}`]);
}

export function makeHeic(path: string, workDir: string): void {
  const source = join(workDir, '.heic-source.jpg');
  makeJpeg(source, 7);
  run('/usr/bin/heif-enc', ['-q', '50', '-o', path, source]);
}

export function makeMp4(path: string): void {
  run('/usr/bin/ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc=duration=1:size=96x64:rate=10',
    '-pix_fmt',
    'yuv420p',
    '-y',
    path,
  ]);
}
