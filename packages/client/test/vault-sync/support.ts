/**
 * Test support for StealthCloud backup/restore: a real server on a loopback port (real SQLite, real files),
 * accounts registered through the client, a fetch that counts (and can break) chunk uploads on the wire,
 * fixture folders with the sizes that matter for 2 MiB chunking, and tree comparison.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { startTestServer, type TestServer } from '../../../../apps/server/test/support/test-server.ts';
import { createClient, type PhotoSyncClient } from '../../src/index.ts';
import { nodeRestoreTarget } from '../../src/node/restore-target.ts';
import type { HashCache, LocalFile, LocalFiles } from '../../src/sync/types.ts';
import type { RestoreFolders } from '../../src/vault-sync/restore.ts';

export const MiB = 1024 * 1024;

export interface LiveServer {
  readonly server: TestServer;
  readonly baseUrl: string;
}

export async function startLiveServer(dataDir?: string): Promise<LiveServer> {
  const server = await startTestServer({}, dataDir);
  return { server, baseUrl: await server.listen() };
}

/** What went over the wire to POST /api/cloud/chunks. */
export interface WireCount {
  chunkPosts: number;
  chunkBytes: number;
  /** Body bytes of the chunk uploads the server acknowledged. */
  storedBytes: number;
  /** Chunk ids the server acknowledged (200). */
  readonly storedChunkIds: string[];
}

export interface Account {
  readonly email: string;
  readonly password: string;
  readonly client: PhotoSyncClient;
  readonly wire: WireCount;
  /**
   * When set, decides per chunk upload (by 0-based order of attempts) whether to fail it with a network error
   * instead of sending it.
   */
  breakChunk: ((attempt: number) => boolean) | undefined;
}

/** A fetch that counts chunk uploads, and fails the ones `account.breakChunk` picks. */
function countingFetch(account: () => Account): typeof fetch {
  let attempts = 0;
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const isChunkPost = init?.method === 'POST' && new URL(url).pathname === '/api/cloud/chunks';
    if (!isChunkPost) return fetch(input, init);
    const { wire, breakChunk } = account();
    if (breakChunk?.(attempts++)) throw new TypeError('fetch failed (test: connection dropped)');
    const body = init.body as Uint8Array;
    wire.chunkPosts++;
    wire.chunkBytes += body.byteLength;
    const response = await fetch(input, init);
    const chunkId = (init.headers as Record<string, string>)['x-chunk-id'];
    if (response.ok && chunkId) {
      wire.storedChunkIds.push(chunkId);
      wire.storedBytes += body.byteLength;
    }
    return response;
  };
}

/** Register a fresh account and return a signed-in client whose chunk uploads are counted. */
export async function registerAccount(baseUrl: string, password = 'login-pass-1234'): Promise<Account> {
  const email = `vault-${randomUUID()}@example.com`;
  const deviceUuid = randomUUID();
  const registered = await createClient({ baseUrl }).register({ email, password, deviceUuid });
  return signedIn(baseUrl, email, password, { token: registered.token, deviceUuid });
}

/** Log the same account in from another device (a fresh client, nothing shared with the first). */
export async function loginNewDevice(baseUrl: string, email: string, password: string): Promise<Account> {
  const deviceUuid = randomUUID();
  const { token } = await createClient({ baseUrl }).login({ email, password, deviceUuid });
  return signedIn(baseUrl, email, password, { token, deviceUuid });
}

function signedIn(baseUrl: string, email: string, password: string, auth: { token: string; deviceUuid: string }) {
  const wire: WireCount = { chunkPosts: 0, chunkBytes: 0, storedBytes: 0, storedChunkIds: [] };
  const account: Account = {
    email,
    password,
    wire,
    breakChunk: undefined,
    client: createClient({ baseUrl, auth, fetch: countingFetch(() => account) }),
  };
  return account;
}

export function resetWire(account: Account): void {
  account.wire.chunkPosts = 0;
  account.wire.chunkBytes = 0;
  account.wire.storedBytes = 0;
  account.wire.storedChunkIds.length = 0;
}

export async function tempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `photosync-vault-${label}-`));
}

export async function removeDirs(...dirs: string[]): Promise<void> {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Every regular file under `root`, relative path → absolute path, sorted. */
export async function listTree(root: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) found.set(relative(root, path).split(sep).join('/'), path);
    }
  };
  await walk(root);
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Relative path → `size:sha256` of every file, for byte-exact tree comparisons (a deep equality over
 * megabytes of Buffers would take minutes).
 */
export async function treeDigest(root: string): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const [name, path] of await listTree(root)) digests.set(name, await fileDigest(path));
  return digests;
}

export async function fileDigest(path: string): Promise<string> {
  return bytesDigest(await readFile(path));
}

export function bytesDigest(bytes: Uint8Array): string {
  return `${bytes.byteLength}:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * LocalFiles over every regular file of the roots, without media sniffing, so the chunking edge cases
 * (an empty file, one byte) go through the vault code as they are. No `sha256`: the engine's own hashing runs.
 */
export function plainFolderFiles(): LocalFiles {
  return {
    async *list(roots) {
      for (const root of roots) {
        for (const [relativePath, path] of await listTree(root)) {
          const info = await stat(path);
          yield { path, relativePath, size: info.size, mtimeMs: info.mtimeMs };
        }
      }
    },
    async *read(file, start = 0) {
      yield* createReadStream(file.path, { start, highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>;
    },
  };
}

/** A hash cache in memory that counts lookups that hit. */
export function memoryHashCache(): HashCache & { readonly entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const keyOf = (file: LocalFile) => `${file.path}\n${file.size}\n${file.mtimeMs}`;
  return {
    entries,
    get: (file) => entries.get(keyOf(file)),
    set: (file, sha256) => void entries.set(keyOf(file), sha256),
    flush: async () => undefined,
  };
}

/** Restore into `dir`, keeping sub-folders. */
export function restoreFolders(dir: string): RestoreFolders {
  return (folder) => nodeRestoreTarget(folder === '' ? dir : join(dir, ...folder.split('/')));
}

export async function writeBytes(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

/** ImageMagick's `convert`: installed with apt when running as root, else the test fails with the command. */
export function ensureConvert(): void {
  const has = () => {
    try {
      execFileSync('convert', ['-version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (has()) return;
  if (process.getuid?.() === 0) {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'imagemagick'], { stdio: 'ignore' });
    if (has()) return;
  }
  throw new Error('ImageMagick is required for the JPEG fixture: sudo apt-get install -y imagemagick');
}

/** A real JPEG made by ImageMagick (random noise, so its bytes are unique to this run). */
export async function makeJpeg(path: string): Promise<void> {
  ensureConvert();
  await mkdir(dirname(path), { recursive: true });
  execFileSync('convert', ['-size', '400x300', 'xc:', '+noise', 'Random', '-quality', '92', path]);
}

/**
 * The fixture folder: empty, 1 byte, exactly 2 MiB, 2 MiB + 1, a multi-chunk ~7 MB file in a sub-folder and
 * a real JPEG. Random bytes, so any 32-byte window identifies its file.
 */
export async function makeFixture(root: string, names: Partial<Record<FixtureKey, string>> = {}) {
  const name = (key: FixtureKey) => names[key] ?? DEFAULT_NAMES[key];
  await writeBytes(join(root, name('empty')), new Uint8Array(0));
  await writeBytes(join(root, name('oneByte')), randomBytes(1));
  await writeBytes(join(root, name('exact')), randomBytes(2 * MiB));
  await writeBytes(join(root, name('plusOne')), randomBytes(2 * MiB + 1));
  await writeBytes(join(root, name('multi')), randomBytes(7_000_003));
  await makeJpeg(join(root, name('jpeg')));
}

type FixtureKey = keyof typeof DEFAULT_NAMES;
const DEFAULT_NAMES = {
  empty: 'empty.jpg',
  oneByte: 'one-byte.png',
  exact: 'exact-2mib.heic',
  plusOne: 'two-mib-plus-one.mp4',
  multi: 'trips/2021/multi-chunk.mov',
  jpeg: 'camera/real.jpg',
} as const;

/** Chunks and ciphertext bytes the fixture encrypts to: ceil(size / 2 MiB) chunks (one for empty), +16 each. */
export function cipherFootprint(sizes: readonly number[]): { chunks: number; bytes: number } {
  let chunks = 0;
  let bytes = 0;
  for (const size of sizes) {
    const count = Math.max(1, Math.ceil(size / (2 * MiB)));
    chunks += count;
    bytes += size + 16 * count;
  }
  return { chunks, bytes };
}
