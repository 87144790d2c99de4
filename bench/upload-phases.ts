/**
 * Phases 1 and 2, run identically against our server and the baseline:
 * - photos: N distinct ~3 MB bodies with a fixed number of concurrent keep-alive clients → photos/s, MB/s;
 * - big: one upload streamed from a generator → MB/s and the growth of the server's peak RSS (VmHWM).
 * Server CPU time (from /proc) is recorded for both, to explain differences.
 * Must never: count a failed or duplicate upload as stored, or time the warm-up.
 */
import type { PhotoPool } from './payloads.ts';
import { bigBody } from './payloads.ts';
import { keepAliveAgent, runBounded, secondsSince, sendOk } from './http-load.ts';
import { cpuSeconds, peakRssBytes, settle } from './server-processes.ts';
import type { UploadTarget } from './targets.ts';

const MB = 1e6;
/** Longest wait for a server to finish the background work uploads caused (media jobs). */
const SETTLE_TIMEOUT_MS = 60_000;

export interface PhotoResult {
  readonly photos: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly photosPerSecond: number;
  readonly mbPerSecond: number;
  /** From the first request until the server is idle again, so background work the uploads caused counts. */
  readonly serverCpuSeconds: number;
}

export interface BigResult {
  readonly bytes: number;
  readonly seconds: number;
  readonly mbPerSecond: number;
  readonly rssBeforeBytes: number;
  readonly rssPeakBytes: number;
  readonly rssGrowthBytes: number;
  readonly serverCpuSeconds: number;
}

/** Check an upload answer: our server reports size and duplicates; the baseline reports size. */
function checkStored(body: string, bytes: number, filename: string): void {
  const answer = JSON.parse(body) as { size?: unknown; duplicate?: unknown };
  if (answer.duplicate === true) throw new Error(`${filename} was taken for a duplicate: bodies are not distinct`);
  if (answer.size !== bytes) throw new Error(`${filename}: server stored ${String(answer.size)} of ${bytes} bytes`);
}

/** Upload pool bodies `first..first+count-1` as `{prefix}-{index}.jpg` with `clients` in flight. */
async function uploadRange(
  target: UploadTarget,
  pool: PhotoPool,
  range: { first: number; count: number; prefix: string },
  clients: number,
): Promise<number> {
  const agent = keepAliveAgent(clients);
  let bytes = 0;
  try {
    await runBounded(range.count, clients, async (offset) => {
      const index = range.first + offset;
      const filename = `${range.prefix}-${index.toString().padStart(6, '0')}.jpg`;
      const body = pool.body(index);
      const answer = await sendOk(agent, {
        method: 'POST',
        url: target.url,
        headers: target.headersFor(filename, body.bytes),
        chunks: body.chunks,
      });
      checkStored(answer.body, body.bytes, filename);
      bytes += body.bytes;
    });
  } finally {
    agent.destroy();
  }
  return bytes;
}

/** A few untimed uploads, so JIT, connection setup and first-file-in-directory costs are paid up front. */
export async function warmUp(target: UploadTarget, pool: PhotoPool, clients: number): Promise<void> {
  await uploadRange(target, pool, { first: 1_000_000, count: 2 * clients, prefix: 'warmup' }, clients);
  await settle(target.server.pid, SETTLE_TIMEOUT_MS);
}

/** Upload photos `range.first..range.first+range.count-1` (a round of the photo phase) and time it. */
export async function uploadPhotos(
  target: UploadTarget,
  pool: PhotoPool,
  range: { first: number; count: number },
  clients: number,
): Promise<PhotoResult> {
  const cpuBefore = await cpuSeconds(target.server.pid);
  const start = process.hrtime.bigint();
  const bytes = await uploadRange(target, pool, { ...range, prefix: 'photo' }, clients);
  const seconds = secondsSince(start);
  await settle(target.server.pid, SETTLE_TIMEOUT_MS);
  return photoResult(range.count, bytes, seconds, (await cpuSeconds(target.server.pid)) - cpuBefore);
}

function photoResult(photos: number, bytes: number, seconds: number, serverCpuSeconds: number): PhotoResult {
  return {
    photos,
    bytes,
    seconds,
    photosPerSecond: photos / seconds,
    mbPerSecond: bytes / MB / seconds,
    serverCpuSeconds,
  };
}

/** The photo phase as a whole from its rounds: totals, and rates over the summed time. */
export function sumRounds(rounds: readonly PhotoResult[]): PhotoResult {
  const total = (pick: (round: PhotoResult) => number): number => rounds.reduce((sum, round) => sum + pick(round), 0);
  return photoResult(
    total((round) => round.photos),
    total((round) => round.bytes),
    total((round) => round.seconds),
    total((round) => round.serverCpuSeconds),
  );
}

export async function uploadBig(target: UploadTarget, bytes: number): Promise<BigResult> {
  const { pid } = target.server;
  const rssBeforeBytes = await peakRssBytes(pid);
  const cpuBefore = await cpuSeconds(pid);
  const agent = keepAliveAgent(1);
  const start = process.hrtime.bigint();
  try {
    const answer = await sendOk(agent, {
      method: 'POST',
      url: target.url,
      headers: target.headersFor('big-upload.mov', bytes),
      stream: bigBody(bytes),
    });
    checkStored(answer.body, bytes, 'big-upload.mov');
  } finally {
    agent.destroy();
  }
  const seconds = secondsSince(start);
  await settle(pid, SETTLE_TIMEOUT_MS);
  const rssPeakBytes = await peakRssBytes(pid);
  return {
    bytes,
    seconds,
    mbPerSecond: bytes / MB / seconds,
    rssBeforeBytes,
    rssPeakBytes,
    rssGrowthBytes: rssPeakBytes - rssBeforeBytes,
    serverCpuSeconds: (await cpuSeconds(pid)) - cpuBefore,
  };
}
