/**
 * Decoding a QR code from a screenshot with zbarimg (Debian's zbar-tools; installed by the global setup as
 * root): the browser tests read what a phone's camera would read, not what the page says it drew.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function decodeQr(png: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'photosync-qr-'));
  try {
    const path = join(dir, 'qr.png');
    await writeFile(path, png);
    return execFileSync('zbarimg', ['--raw', '--quiet', path], { encoding: 'utf8' }).trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
