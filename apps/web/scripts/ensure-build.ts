/**
 * Build the web app when apps/web/dist is missing or stale, else do nothing (fast): `npm start` runs this
 * first (root `prestart`), and the test run does before any browser test (test/global-setup.ts).
 * Stale = the inputs changed since the last build: a SHA-256 over the web app's sources and config and the
 * sources of the workspace packages it bundles, kept in dist/.build-hash.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WEB = fileURLToPath(new URL('..', import.meta.url));
const REPO = join(WEB, '..', '..');
const DIST = join(WEB, 'dist');
const STAMP = join(DIST, '.build-hash');

const INPUTS = [
  'apps/web/src',
  'apps/web/public',
  'apps/web/index.html',
  'apps/web/vite.config.ts',
  'apps/web/package.json',
  'packages/client/src',
  'packages/client/package.json',
  'packages/crypto/src',
  'packages/crypto/package.json',
  'packages/protocol/src',
  'packages/protocol/package.json',
  'package-lock.json',
];

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
  if (!entries) return [path];
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? filesUnder(join(path, entry.name)) : Promise.resolve([join(path, entry.name)]),
    ),
  );
  return nested.flat();
}

/** SHA-256 over every input file's path and bytes, in a stable order. */
export async function inputsHash(): Promise<string> {
  const files = (await Promise.all(INPUTS.map((input) => filesUnder(join(REPO, input))))).flat().sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const bytes = await readFile(file).catch(() => undefined);
    if (bytes === undefined) continue;
    hash.update(relative(REPO, file)).update('\0').update(bytes).update('\0');
  }
  return hash.digest('hex');
}

/** Build unless dist/ matches the current inputs; returns what happened. */
export async function ensureWebBuild(log: (line: string) => void = console.log): Promise<'fresh' | 'built'> {
  const wanted = await inputsHash();
  const built = await readFile(STAMP, 'utf8').catch(() => '');
  if (built.trim() === wanted) return 'fresh';
  log('Building the web app (apps/web)…');
  const { build } = await import('vite');
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  await writeFile(STAMP, `${wanted}\n`);
  log('Web app built into apps/web/dist');
  return 'built';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await ensureWebBuild();
}
