/**
 * The release script: `npm run release -- build` turns a checkout into the three files a GitHub release
 * carries — `photosync-<version>.tar.gz` (one top-level folder, no node_modules, no data),
 * `<archive>.sha256` and `<archive>.sha256.sig` (Ed25519 over the checksum file). The version is the root
 * package.json's. It refuses to sign with a key whose public half the release does not ship, so it can
 * never publish something its own updater would refuse. `keygen` makes the project key pair once.
 *
 *   npm run release -- keygen --private-key ~/photosync-release-key.pem    (writes scripts/release-public-key.pem)
 *   PHOTOSYNC_RELEASE_KEY_FILE=~/photosync-release-key.pem npm run release -- build [--out dist/release]
 *
 * The private key comes from --key FILE, PHOTOSYNC_RELEASE_KEY_FILE or PHOTOSYNC_RELEASE_KEY (PEM text);
 * it must never be committed. Upload the three files to a release tagged v<version>.
 */
import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readAppVersion } from '../apps/server/src/services/update/app-version.ts';
import { releaseAssetNames } from '../apps/server/src/services/update/release-feed.ts';
import {
  checksumText,
  generateReleaseKeyPair,
  sha256File,
  signChecksum,
  verifyChecksumSignature,
} from '../apps/server/src/services/update/release-signature.ts';

import { ensureWebBuild } from '../apps/web/scripts/ensure-build.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PUBLIC_KEY = join('scripts', 'release-public-key.pem');
/** Never shipped: dependencies, data, build output, local settings. */
const EXCLUDED_ANYWHERE = new Set(['node_modules', '.git']);
const EXCLUDED_AT_TOP = new Set(['data', 'dist', 'coverage', '.env', 'bench/.work']);

export interface BuiltRelease {
  readonly version: string;
  readonly archive: string;
  readonly checksum: string;
  readonly signature: string;
  readonly sha256: string;
}

/** The built web app ships in the archive: installs run `npm ci --omit=dev`, which has no Vite to build it. */
const WEB_BUILD = 'apps/web/dist';

/** Files of the source tree to ship: git's view (tracked + untracked, minus ignored) or a filtered walk. */
export async function releaseFiles(sourceDir: string): Promise<string[]> {
  const sources = await sourceFiles(sourceDir);
  const webBuild = join(sourceDir, WEB_BUILD);
  if (!existsSync(webBuild)) return sources;
  const built: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(join(sourceDir, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) built.push(path);
    }
  };
  await walk(WEB_BUILD);
  return [...sources, ...built.sort()];
}

async function sourceFiles(sourceDir: string): Promise<string[]> {
  if (existsSync(join(sourceDir, '.git'))) {
    const listed = execFileSync('git', [
      '-C',
      sourceDir,
      'ls-files',
      '-z',
      '--cached',
      '--others',
      '--exclude-standard',
    ]);
    return listed
      .toString()
      .split('\0')
      .filter((file) => file && existsSync(join(sourceDir, file)) && !excluded(file));
  }
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(join(sourceDir, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (excluded(path)) continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  await walk('');
  return files.sort();
}

function excluded(path: string): boolean {
  return (
    path.split('/').some((part) => EXCLUDED_ANYWHERE.has(part)) ||
    [...EXCLUDED_AT_TOP].some((top) => path === top || path.startsWith(`${top}/`))
  );
}

/** Build, checksum and sign the release of `sourceDir` into `outDir`. */
export async function buildRelease(options: {
  sourceDir: string;
  outDir: string;
  privateKeyPem: string;
}): Promise<BuiltRelease> {
  const version = readAppVersion(options.sourceDir);
  const names = releaseAssetNames(version);
  const stage = await mkdtemp(join(tmpdir(), 'photosync-release-'));
  try {
    const top = join(stage, `photosync-${version}`);
    for (const file of await releaseFiles(options.sourceDir)) {
      const from = join(options.sourceDir, file);
      await mkdir(dirname(join(top, file)), { recursive: true });
      await copyFile(from, join(top, file));
      await chmod(join(top, file), (await stat(from)).mode & 0o777);
    }
    await mkdir(options.outDir, { recursive: true });
    const archive = resolve(options.outDir, names.archive);
    const gnu = execFileSync('tar', ['--version']).toString().includes('GNU');
    const owner = gnu ? ['--owner=0', '--group=0', '--numeric-owner', '--sort=name'] : ['--uid=0', '--gid=0'];
    execFileSync('tar', ['-czf', archive, ...owner, '-C', stage, `photosync-${version}`]);
    const sha256 = await sha256File(archive);
    const checksum = checksumText(sha256, names.archive);
    const signature = signChecksum(checksum, options.privateKeyPem);
    // The updater of this very release must accept it: check against the public key it ships.
    verifyChecksumSignature(checksum, signature, await readFile(join(top, PUBLIC_KEY), 'utf8'));
    await writeFile(resolve(options.outDir, names.checksum), checksum);
    await writeFile(resolve(options.outDir, names.signature), signature);
    return {
      version,
      archive,
      checksum: resolve(options.outDir, names.checksum),
      signature: resolve(options.outDir, names.signature),
      sha256,
    };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

async function privateKeyFrom(keyFile: string | undefined): Promise<string> {
  const file = keyFile ?? process.env['PHOTOSYNC_RELEASE_KEY_FILE'];
  if (file) return readFile(file, 'utf8');
  const pem = process.env['PHOTOSYNC_RELEASE_KEY'];
  if (pem) return pem;
  throw new Error('no signing key: pass --key FILE or set PHOTOSYNC_RELEASE_KEY_FILE / PHOTOSYNC_RELEASE_KEY');
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      out: { type: 'string' },
      source: { type: 'string' },
      'private-key': { type: 'string' },
    },
  });
  const sourceDir = resolve(values.source ?? REPO_ROOT);
  if (positionals[0] === 'keygen') {
    const target = values['private-key'];
    if (!target) throw new Error('keygen needs --private-key FILE (keep it out of the repository)');
    const pair = generateReleaseKeyPair();
    await writeFile(target, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
    await writeFile(join(sourceDir, PUBLIC_KEY), pair.publicKeyPem);
    console.log(
      `private key: ${target} (0600; never commit it)\npublic key:  ${join(sourceDir, PUBLIC_KEY)} (commit it)`,
    );
    return;
  }
  if (positionals[0] !== 'build')
    throw new Error('usage: release.ts build [--key FILE] [--out DIR] [--source DIR] | keygen --private-key FILE');
  // Releases carry the built web app (see WEB_BUILD); build it from this checkout when it is stale.
  if (resolve(sourceDir) === resolve(REPO_ROOT)) await ensureWebBuild();
  const built = await buildRelease({
    sourceDir,
    outDir: resolve(values.out ?? join(sourceDir, 'dist', 'release')),
    privateKeyPem: await privateKeyFrom(values.key),
  });
  console.log(
    [built.archive, built.checksum, built.signature].map((file) => relative(process.cwd(), file)).join('\n') +
      `\nsha256 ${built.sha256}\nUpload these three files to a release tagged v${built.version}.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`release: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
