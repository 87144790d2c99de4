/**
 * A simulated phone for the load test: a camera roll of deterministic files (AES-CTR keystream, so nothing
 * needs to be kept in memory and any file can be regenerated), backed up the way our clients do it — ask the
 * server which hashes it already has, then send the rest two at a time, photos as one raw upload and videos
 * through tus in 4 MiB PATCHes. Every request's latency is recorded.
 */
import { createCipheriv, createHash } from 'node:crypto';
import type { Prng } from '../support/prng.ts';
import type { Account } from '../support/server.ts';
import { jsonOf, patch, rawUpload, sha256, tusCall, uploadMetadata } from '../support/uploads.ts';

const MiB = 1024 * 1024;
const TUS_FROM_BYTES = 8 * MiB;
const PATCH_BYTES = 4 * MiB;

export interface PhotoFile {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

/** The bytes of a file, derived from its id alone. */
export function contentOf(id: string, size: number): Buffer {
  const key = createHash('sha256').update(id).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

/** A camera roll's file: mostly photos, some small images, one video in ten; `scale` shrinks every size. */
export function makeFile(id: string, rng: Prng, scale: number): PhotoFile {
  const roll = rng.next();
  const [kind, min, max] =
    roll < 0.1 ? ['VID', 10 * MiB, 24 * MiB] : roll < 0.4 ? ['IMG', 200_000, MiB] : ['IMG', 2 * MiB, 5 * MiB];
  const size = Math.max(1, Math.floor(rng.int(min, max) * scale));
  const name = `${kind}_${id
    .replace(/[^0-9]/g, '')
    .slice(-4)
    .padStart(4, '0')}.${kind === 'VID' ? 'MOV' : 'JPG'}`;
  return { id, name, size, sha256: sha256(contentOf(id, size)) };
}

export interface PhoneReport {
  readonly latenciesMs: number[];
  bytesSent: number;
  uploaded: number;
  duplicates: number;
  skipped: number;
  readonly errors: string[];
}

async function timed<T>(latencies: number[], call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await call();
  } finally {
    latencies.push(performance.now() - started);
  }
}

async function sendFile(url: string, account: Account, file: PhotoFile, report: PhoneReport): Promise<void> {
  const bytes = contentOf(file.id, file.size);
  const { latenciesMs: lat } = report;
  if (file.size < TUS_FROM_BYTES) {
    const result = await timed(lat, () =>
      rawUpload(url, account, file.name, bytes, { 'x-content-sha256': file.sha256 }),
    );
    if (result.status !== 200) return void report.errors.push(`${file.name}: ${result.status}`);
    if (jsonOf(result)?.['duplicate'] === true) report.duplicates += 1;
  } else {
    const created = await timed(lat, () =>
      tusCall(url, 'POST', '/api/v2/tus', {
        ...account.headers,
        'upload-length': file.size,
        'upload-metadata': uploadMetadata({ filename: file.name, sha256: file.sha256 }),
      }),
    );
    if (created.status !== 201) return void report.errors.push(`${file.name}: creation ${created.status}`);
    for (let offset = 0; offset < file.size; offset += PATCH_BYTES) {
      const piece = bytes.subarray(offset, offset + PATCH_BYTES);
      const sent = await timed(lat, () => patch(url, account, String(created.headers.location), offset, piece));
      if (sent.status !== 204) return void report.errors.push(`${file.name}: PATCH ${sent.status}`);
      if (sent.headers['x-photosync-duplicate'] === 'true') report.duplicates += 1;
    }
  }
  report.uploaded += 1;
  report.bytesSent += file.size;
}

/** Back up `files` as a phone does: have-check first, then two uploads at a time. */
export async function backUp(url: string, account: Account, files: readonly PhotoFile[]): Promise<PhoneReport> {
  const report: PhoneReport = { latenciesMs: [], bytesSent: 0, uploaded: 0, duplicates: 0, skipped: 0, errors: [] };
  const have = await timed(report.latenciesMs, () => account.client.haveFiles(files.map((file) => file.sha256)));
  const stored = new Set(have.have.map((entry) => entry.sha256));
  const queue = files.filter((file) => !stored.has(file.sha256));
  report.skipped = files.length - queue.length;
  await Promise.all(
    [0, 1].map(async () => {
      for (let file = queue.shift(); file; file = queue.shift()) await sendFile(url, account, file, report);
    }),
  );
  return report;
}
