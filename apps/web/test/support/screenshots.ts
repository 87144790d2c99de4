/** Where the browser tests leave their screenshots for a person to look at (printed at the end of a run). */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SCREENSHOT_DIR = process.env['PHOTOSYNC_SCREENSHOTS'] ?? join(tmpdir(), 'photosync-web-screenshots');
mkdirSync(SCREENSHOT_DIR, { recursive: true });

export function screenshotPath(name: string): string {
  return join(SCREENSHOT_DIR, `${name}.png`);
}
