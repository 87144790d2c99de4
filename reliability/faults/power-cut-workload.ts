/**
 * The uploads the power-cut test keeps in flight, and the ledger of what the server acknowledged: plain raw
 * uploads (some re-sending stored content, some clashing names), tus uploads sent as raw PATCHes and resumed
 * after the next restart, and StealthCloud chunks. An upload counts as acknowledged only once its success
 * answer arrived; a request cut by the kill is "interrupted" and proves nothing either way.
 */
import { randomBytes } from 'node:crypto';
import type { Prng } from '../support/prng.ts';
import type { Account } from '../support/server.ts';
import {
  jsonOf,
  patch,
  putChunk,
  rawUpload,
  sealedChunk,
  sha256,
  tusCall,
  uploadMetadata,
  type HttpResult,
} from '../support/uploads.ts';

const NAMES = ['IMG_0001.jpg', 'IMG_0002.jpg', 'IMG_0003.HEIC', 'IMG_0004.jpg', 'VID_0005.mov', 'IMG_0006.png'];
const KiB = 1024;

/** A tus upload the server created: its bytes, and how many of them it acknowledged so far. */
export interface OpenTusUpload {
  /** Replaced at every restart by the same account connected to the new server URL. */
  account: Account;
  readonly path: string;
  readonly bytes: Buffer;
  readonly name: string;
  acked: number;
  /** Being sent by one in-flight slot (cleared at every restart). */
  claimed: boolean;
  /** Server restarts this upload lived through: finishing one with restarts > 0 is a resume. */
  restarts: number;
}

export class Ledger {
  /** account uuid → stored name → SHA-256 the server acknowledged. */
  readonly library = new Map<string, Map<string, string>>();
  /** Every library content ever sent whole: SHA-256 → size. */
  readonly attempted = new Map<string, number>();
  /** account uuid → acknowledged chunk ids; and every chunk id ever sent. */
  readonly chunks = new Map<string, Set<string>>();
  readonly chunksSent = new Set<string>();
  readonly openTus = new Map<string, OpenTusUpload>();
  /** Contents recently acknowledged, re-sent to exercise duplicates. */
  readonly reusable: { account: Account; bytes: Buffer }[] = [];
  readonly unexpected: string[] = [];
  readonly counts = { raw: 0, tus: 0, chunks: 0, duplicates: 0, interrupted: 0, resumed: 0 };

  ackFile(account: Account, name: string, sha: string): void {
    const names = this.library.get(account.uuid) ?? new Map<string, string>();
    this.library.set(account.uuid, names);
    const earlier = names.get(name);
    if (earlier !== undefined && earlier !== sha) this.unexpected.push(`${name} acknowledged with two contents`);
    names.set(name, sha);
  }

  ackChunk(account: Account, id: string): void {
    const ids = this.chunks.get(account.uuid) ?? new Set<string>();
    this.chunks.set(account.uuid, ids);
    ids.add(id);
  }

  /** Record an answer that is neither success nor an expected refusal. */
  check(what: string, result: HttpResult, expected: readonly number[]): boolean {
    if (expected.includes(result.status)) return true;
    this.unexpected.push(`${what}: ${result.status} ${result.body.toString('utf8').slice(0, 200)}`);
    return false;
  }
}

async function plainUpload(url: string, ledger: Ledger, account: Account, rng: Prng): Promise<void> {
  const again = ledger.reusable.filter((entry) => entry.account === account);
  const bytes = again.length > 0 && rng.chance(0.1) ? rng.pick(again).bytes : randomBytes(rng.int(8 * KiB, 768 * KiB));
  const sha = sha256(bytes);
  ledger.attempted.set(sha, bytes.length);
  const result = await rawUpload(url, account, rng.pick(NAMES), bytes, { 'x-content-sha256': sha });
  if (!ledger.check('raw upload', result, [200])) return;
  const body = jsonOf(result) ?? {};
  ledger.ackFile(account, String(body['filename']), sha);
  ledger.counts.raw += 1;
  if (body['duplicate'] === true) ledger.counts.duplicates += 1;
  if (ledger.reusable.length > 64) ledger.reusable.shift();
  ledger.reusable.push({ account, bytes });
}

async function chunkUpload(url: string, ledger: Ledger, account: Account, rng: Prng): Promise<void> {
  const chunk = await sealedChunk(rng.chance(0.3) ? 2 * 1024 * KiB : rng.int(KiB, 1024 * KiB));
  ledger.chunksSent.add(chunk.id);
  const result = await putChunk(url, account, chunk.bytes, chunk.id);
  if (!ledger.check('chunk upload', result, [200])) return;
  ledger.ackChunk(account, chunk.id);
  ledger.counts.chunks += 1;
}

/** PATCH the rest of an open tus upload in slices; the last answer carries the stored name. */
export async function continueTus(url: string, ledger: Ledger, upload: OpenTusUpload, rng: Prng): Promise<void> {
  while (upload.acked < upload.bytes.length) {
    const end = Math.min(upload.bytes.length, upload.acked + rng.int(128 * KiB, 512 * KiB));
    const result = await patch(
      url,
      upload.account,
      upload.path,
      upload.acked,
      upload.bytes.subarray(upload.acked, end),
    );
    if (result.status === 409) {
      // The server has another offset than we think (or is finishing the upload): ask it.
      if ((await reconcileTus(url, ledger, upload)) !== 'open') return;
      continue;
    }
    if (!ledger.check('tus PATCH', result, [204])) return;
    upload.acked = Number(result.headers['upload-offset']);
    const stored = result.headers['x-photosync-filename'];
    if (typeof stored === 'string') {
      ledger.ackFile(upload.account, decodeURIComponent(stored), sha256(upload.bytes));
      ledger.openTus.delete(upload.path);
      ledger.counts.tus += 1;
      if (upload.restarts > 0) ledger.counts.resumed += 1;
    }
  }
}

async function tusUpload(url: string, ledger: Ledger, account: Account, rng: Prng): Promise<void> {
  const bytes = randomBytes(rng.int(64 * KiB, 2048 * KiB));
  ledger.attempted.set(sha256(bytes), bytes.length);
  const name = rng.pick(NAMES);
  const created = await tusCall(url, 'POST', '/api/v2/tus', {
    ...account.headers,
    'upload-length': bytes.length,
    'upload-metadata': uploadMetadata({ filename: name, sha256: sha256(bytes) }),
  });
  if (!ledger.check('tus creation', created, [201])) return;
  const path = String(created.headers.location);
  const upload: OpenTusUpload = { account, path, bytes, name, acked: 0, claimed: true, restarts: 0 };
  ledger.openTus.set(path, upload);
  await continueTus(url, ledger, upload, rng);
}

/**
 * After a restart: where does an interrupted tus upload stand? HEAD gives the offset (never below what was
 * acknowledged); 404 means start-up recovery stored it (its last byte had arrived), which `have` confirms.
 */
export async function reconcileTus(
  url: string,
  ledger: Ledger,
  upload: OpenTusUpload,
): Promise<'open' | 'stored' | 'lost'> {
  const head = await tusCall(url, 'HEAD', upload.path, upload.account.headers);
  if (head.status === 409) return 'open'; // being finished right now: the next PATCH or HEAD will tell
  if (head.status === 200) {
    const offset = Number(head.headers['upload-offset']);
    if (offset < upload.acked) ledger.unexpected.push(`tus ${upload.path} went back from ${upload.acked} to ${offset}`);
    upload.acked = offset;
    return 'open';
  }
  const sha = sha256(upload.bytes);
  const have = await upload.account.client.haveFiles([sha]);
  const found = have.have.find((entry) => entry.sha256 === sha);
  if (head.status !== 404 || !found) {
    ledger.unexpected.push(`tus ${upload.path}: HEAD ${head.status} and not in the library`);
    ledger.openTus.delete(upload.path);
    return 'lost';
  }
  ledger.ackFile(upload.account, found.filename, sha);
  ledger.openTus.delete(upload.path);
  return 'stored';
}

/** One in-flight slot: uploads of every kind, one after another, until a request fails (the server died). */
export async function uploadUntilCut(url: string, ledger: Ledger, account: Account, rng: Prng): Promise<void> {
  for (;;) {
    const resumable = [...ledger.openTus.values()].find((u) => u.account.uuid === account.uuid && !u.claimed);
    try {
      if (resumable) {
        resumable.claimed = true;
        await continueTus(url, ledger, resumable, rng);
        continue;
      }
      const roll = rng.next();
      if (roll < 0.4) await plainUpload(url, ledger, account, rng);
      else if (roll < 0.7) await tusUpload(url, ledger, account, rng);
      else await chunkUpload(url, ledger, account, rng);
    } catch {
      ledger.counts.interrupted += 1;
      return;
    }
  }
}
