/**
 * Issue 3, server half: StealthCloud chunk-store throughput. The chunks of one encrypted file (2 MiB of
 * plaintext → 2 MiB + 16 bytes of random, ciphertext-like bytes each, with its correct X-Chunk-Id) go with a
 * fixed number in flight to our `POST /api/cloud/chunks` (signed-in device; the server hashes, verifies,
 * fsyncs, publishes and counts quota) and, the same bytes, to the bare baseline server. Both servers run side
 * by side; rounds alternate which goes first, as in ./upload-comparison.ts.
 * Must never: let both servers take load at the same time, send a duplicate chunk, or leave a server running.
 */
import { join } from 'node:path';
import { CHUNK_SIZE } from '@photosync/crypto';
import { keepAliveAgent, runBounded, secondsSince, sendOk } from './http-load.ts';
import { ChunkPool } from './payloads.ts';
import { cpuSeconds, settle, startBaselineServer, startOurServer, type BenchServer } from './server-processes.ts';
import { baselineUploadTarget, ourChunkTarget, signUp, type UploadTarget } from './targets.ts';
import { rounds, turnOrder, type ServerKind } from './upload-comparison.ts';

/** A full chunk's ciphertext: 2 MiB of plaintext plus the 16-byte secretbox MAC. */
export const CIPHERTEXT_CHUNK_BYTES = CHUNK_SIZE + 16;
const SETTLE_TIMEOUT_MS = 60_000;
const WARM_UP_CHUNKS = 16;

export interface ChunkStoreResult {
  readonly chunks: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly mbPerSecond: number;
  readonly serverCpuSeconds: number;
}

/** Our server answers `{chunkId, stored: true}`; the baseline `{size}`. */
function checkStored(kind: ServerKind, body: string, chunkId: string, bytes: number): void {
  const answer = JSON.parse(body) as { chunkId?: unknown; stored?: unknown; size?: unknown };
  const ok = kind === 'ours' ? answer.chunkId === chunkId && answer.stored === true : answer.size === bytes;
  if (!ok) throw new Error(`${kind}: chunk ${chunkId} not stored: ${body.slice(0, 200)}`);
}

/** Send pool chunks `first..first+count-1` with `inFlight` at a time; returns seconds and server CPU. */
async function sendChunks(
  kind: ServerKind,
  target: UploadTarget,
  pool: ChunkPool,
  range: { first: number; count: number },
  inFlight: number,
): Promise<ChunkStoreResult> {
  const agent = keepAliveAgent(inFlight);
  const cpuBefore = await cpuSeconds(target.server.pid);
  const start = process.hrtime.bigint();
  try {
    await runBounded(range.count, inFlight, async (offset) => {
      const { chunkId, chunks, bytes } = pool.body(range.first + offset);
      const headers = target.headersFor(chunkId, bytes);
      const answer = await sendOk(agent, { method: 'POST', url: target.url, headers, chunks });
      checkStored(kind, answer.body, chunkId, bytes);
    });
  } finally {
    agent.destroy();
  }
  const seconds = secondsSince(start);
  await settle(target.server.pid, SETTLE_TIMEOUT_MS);
  const bytes = range.count * pool.bytes;
  const serverCpuSeconds = (await cpuSeconds(target.server.pid)) - cpuBefore;
  return { chunks: range.count, bytes, seconds, mbPerSecond: bytes / 1e6 / seconds, serverCpuSeconds };
}

function sum(results: readonly ChunkStoreResult[]): ChunkStoreResult {
  const total = (pick: (result: ChunkStoreResult) => number): number =>
    results.reduce((acc, result) => acc + pick(result), 0);
  const [bytes, seconds] = [total((r) => r.bytes), total((r) => r.seconds)];
  return {
    chunks: total((r) => r.chunks),
    bytes,
    seconds,
    mbPerSecond: bytes / 1e6 / seconds,
    serverCpuSeconds: total((r) => r.serverCpuSeconds),
  };
}

/** Start both servers under `workDir`, send each the chunks of a `fileBytes` file, stop them. */
export async function compareChunkStores(
  workDir: string,
  fileBytes: number,
  inFlight: number,
  log: (line: string) => void,
): Promise<Record<ServerKind, ChunkStoreResult>> {
  const chunkCount = Math.ceil(fileBytes / CHUNK_SIZE);
  const pool = new ChunkPool(WARM_UP_CHUNKS + chunkCount, CIPHERTEXT_CHUNK_BYTES);
  const servers: BenchServer[] = [];
  try {
    const baseline = await startBaselineServer(join(workDir, 'baseline'));
    servers.push(baseline);
    const ours = await startOurServer(join(workDir, 'ours'));
    servers.push(ours);
    const targets = { baseline: baselineUploadTarget(baseline), ours: ourChunkTarget(ours, await signUp(ours)) };
    for (const kind of turnOrder(0)) {
      await sendChunks(kind, targets[kind], pool, { first: chunkCount, count: WARM_UP_CHUNKS }, inFlight);
    }
    const results: Record<ServerKind, ChunkStoreResult[]> = { baseline: [], ours: [] };
    for (const [index, range] of rounds(chunkCount).entries()) {
      for (const kind of turnOrder(index)) {
        const result = await sendChunks(kind, targets[kind], pool, range, inFlight);
        results[kind].push(result);
        log(`  round ${index + 1}, ${kind}: ${result.chunks} chunks at ${result.mbPerSecond.toFixed(1)} MB/s`);
      }
    }
    return { baseline: sum(results.baseline), ours: sum(results.ours) };
  } finally {
    for (const server of servers) await server.stop();
  }
}
