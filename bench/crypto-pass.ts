/**
 * One client-side crypto pass over a generated file, in a child process of its own (started by
 * ./crypto-phase.ts), so every pass gets a fresh heap and `--conditions=browser` can make @photosync/crypto's
 * `#sodium` import pick the browser backend (libsodium-wrappers) while the code under test stays the same:
 *   ours       encryptFileV2 as a backup runs it: 2 MiB chunks sealed, chunk ids, file hash, sealed manifest;
 *              each chunk released once "stored", as the vault uploader does when the server confirms it
 *   tweetnacl  what the original client does: nacl.secretbox over 2 MiB chunks, SHA-256 of each ciphertext
 *              (chunk id) and of the plaintext (file hash); the hashes come from node:crypto, which favours it
 *   sha256     one SHA-256 pass over the plaintext: the ceiling
 * Usage: node [--conditions=browser] --import tsx bench/crypto-pass.ts <kind> <bytes>. Prints one JSON line.
 * Must never: hold the whole file in memory, or time the set-up (keys, the backend's WebAssembly start-up).
 */
import { createHash, randomBytes } from 'node:crypto';
import { encryptFileV2, loadSodium, rechunk } from '@photosync/crypto';
import nacl from 'tweetnacl';
import { secondsSince } from './http-load.ts';
import { bigBody } from './payloads.ts';

export const CRYPTO_PASS_KINDS = ['ours', 'tweetnacl', 'sha256'] as const;
export type CryptoPassKind = (typeof CRYPTO_PASS_KINDS)[number];

/** What a pass prints: enough to check it did the whole file, and to name the backend it used. */
export interface CryptoPassResult {
  readonly kind: CryptoPassKind;
  readonly implementation: string;
  readonly bytes: number;
  readonly chunks: number;
  readonly seconds: number;
}

/** Chunks, then the manifest; checks the manifest accounts for every byte. Returns the chunk count. */
async function ours(bytes: number): Promise<number> {
  const masterKey = randomBytes(32);
  let chunks = 0;
  for await (const part of encryptFileV2(masterKey, { filename: 'bench.mov', mediaType: 'video' }, bigBody(bytes))) {
    if (part.kind === 'chunk') {
      chunks += 1;
      part.release?.();
    } else if (part.manifest.originalSize !== bytes || part.manifest.fileHash.length !== 64) {
      throw new Error(`manifest covers ${part.manifest.originalSize} of ${bytes} bytes`);
    }
  }
  return chunks;
}

async function tweetnacl(bytes: number): Promise<number> {
  const key = randomBytes(nacl.secretbox.keyLength);
  const nonce = new Uint8Array(nacl.secretbox.nonceLength);
  nonce.set(randomBytes(16));
  const fileHash = createHash('sha256');
  const chunkIds: string[] = [];
  for await (const chunk of rechunk(bigBody(bytes))) {
    fileHash.update(chunk);
    new DataView(nonce.buffer).setUint32(16, chunkIds.length, true);
    chunkIds.push(
      createHash('sha256')
        .update(nacl.secretbox(chunk, nonce, key))
        .digest('hex'),
    );
  }
  fileHash.digest('hex');
  return chunkIds.length;
}

function sha256(bytes: number): number {
  const hash = createHash('sha256');
  let pieces = 0;
  for (const piece of bigBody(bytes)) {
    hash.update(piece);
    pieces += 1;
  }
  hash.digest('hex');
  return pieces;
}

async function run(kind: CryptoPassKind, bytes: number): Promise<CryptoPassResult> {
  const implementation =
    kind === 'ours' ? (await loadSodium()).name : kind === 'tweetnacl' ? 'tweetnacl' : 'node:crypto';
  const start = process.hrtime.bigint();
  const chunks = kind === 'ours' ? await ours(bytes) : kind === 'tweetnacl' ? await tweetnacl(bytes) : sha256(bytes);
  return { kind, implementation, bytes, chunks, seconds: secondsSince(start) };
}

const isKind = (text: string | undefined): text is CryptoPassKind => CRYPTO_PASS_KINDS.some((kind) => kind === text);

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [kind, bytesText] = process.argv.slice(2);
  const bytes = Number(bytesText);
  if (!isKind(kind) || !Number.isSafeInteger(bytes) || bytes < 1) {
    throw new Error(`usage: crypto-pass.ts <${CRYPTO_PASS_KINDS.join('|')}> <bytes>`);
  }
  process.stdout.write(`${JSON.stringify(await run(kind, bytes))}\n`);
}
