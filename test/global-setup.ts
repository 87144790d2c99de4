/**
 * vitest global setup: make sure the system tools the tests use are present (ENV.md). As root (CI) missing
 * Debian packages are installed; otherwise the run stops with the exact command to run — never a silent skip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Binary that must exist → the Debian package providing it. */
const REQUIRED: Record<string, string> = {
  '/usr/bin/chromium': 'chromium',
  '/usr/bin/ffmpeg': 'ffmpeg',
  '/usr/bin/ffprobe': 'ffmpeg',
  '/usr/bin/exiftool': 'libimage-exiftool-perl',
  '/usr/bin/heif-enc': 'libheif-examples',
  '/usr/bin/shellcheck': 'shellcheck',
  // Browser tests decode the pairing QR code from a screenshot.
  '/usr/bin/zbarimg': 'zbar-tools',
};

export default function setup(): void {
  const missing = new Set(
    Object.entries(REQUIRED)
      .filter(([binary]) => !existsSync(binary))
      .map(([, pkg]) => pkg),
  );
  if (missing.size === 0) return;
  const packages = [...missing].sort();
  const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`The tests need system packages that are missing. Run as root:\n  ${command}`);
  }
  console.log(`Installing test tools: ${packages.join(', ')}`);
  execFileSync('sh', ['-c', command], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
