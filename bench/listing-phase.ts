/**
 * Phase 3 (our server only): `GET /api/files?limit=50` latency with a small and a large library.
 * [Note: bench library fill] The library is filled while the server is stopped, in-process, through the
 * server's own LibraryService (createContext → library.upload with the AuthContext the server would derive
 * from our token): the same staging, fsync, publish and index commit as an HTTP upload, minus HTTP. Its
 * speed is bound by the fsyncs of each commit, so it takes tens of seconds on a quiet disk and minutes on a
 * busy one. The server is then started again on that data dir (start-up recovery must find nothing to do),
 * left to finish background work on the new files, and timed over sequential keep-alive requests.
 * Must never: run the fill while a server process has the data dir open, or time the fill.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createContext, loadConfig } from '@photosync/server';
import { keepAliveAgent, percentile, runBounded, secondsSince, sendOk } from './http-load.ts';
import { tinyBody } from './payloads.ts';
import { settle, startOurServer } from './server-processes.ts';
import { authHeaders, signUp, type DeviceSession } from './targets.ts';

const TINY_FILE_BYTES = 1024;
const FILL_CONCURRENCY = 16;
const PAGE_SIZE = 50;
/** Longest wait after a restart for background work on the new files (media jobs) before timing. */
const SETTLE_TIMEOUT_MS = 240_000;

export const FILL_METHOD = `in-process through the server's LibraryService while it is stopped, ${FILL_CONCURRENCY} uploads in flight of ${TINY_FILE_BYTES}-byte files`;

export interface ListingResult {
  readonly files: number;
  readonly requests: number;
  readonly firstPage: { readonly p50Ms: number; readonly p99Ms: number };
  readonly lastPage: { readonly p50Ms: number; readonly p99Ms: number };
  readonly fillSeconds: number;
  /** Time the restarted server spent on background work before it was idle (or the wait gave up). */
  readonly settle: { readonly seconds: number; readonly settled: boolean };
}

/** Add files `from..to-1` to the session's library through the server's services (server stopped). */
async function fillLibrary(dataDir: string, session: DeviceSession, from: number, to: number): Promise<void> {
  const context = await createContext(loadConfig({ PHOTOSYNC_DATA_DIR: dataDir }));
  try {
    const who = await context.accounts.authenticate(`Bearer ${session.token}`, session.deviceUuid);
    const filler = randomBytes(TINY_FILE_BYTES);
    await runBounded(to - from, FILL_CONCURRENCY, async (offset) => {
      const index = from + offset;
      const result = await context.library.upload(who, {
        filename: `tiny-${index.toString().padStart(6, '0')}.jpg`,
        mediaType: 'image/jpeg',
        body: Readable.from([tinyBody(index, TINY_FILE_BYTES, filler)]),
        expectedSha256: undefined,
        deviceId: null,
      });
      if (result.duplicate) throw new Error(`fill: ${result.filename} was taken for a duplicate`);
    });
  } finally {
    await context.close();
  }
}

/** Latency of `requests` sequential GETs of one page, checking each answer's total. */
async function timePage(
  url: URL,
  session: DeviceSession,
  requests: number,
  expectedTotal: number,
): Promise<{ p50Ms: number; p99Ms: number }> {
  const agent = keepAliveAgent(1);
  const samples: number[] = [];
  try {
    for (let i = 0; i < requests + 10; i += 1) {
      const start = process.hrtime.bigint();
      const answer = await sendOk(agent, { method: 'GET', url, headers: authHeaders(session) });
      const ms = secondsSince(start) * 1000;
      if (i >= 10) samples.push(ms); // the first ten warm up the route and the connection
      const { files, total } = JSON.parse(answer.body) as { files: unknown[]; total: number };
      if (total !== expectedTotal || files.length !== Math.min(PAGE_SIZE, expectedTotal)) {
        throw new Error(`listing returned ${files.length} of total ${total}; expected total ${expectedTotal}`);
      }
    }
  } finally {
    agent.destroy();
  }
  samples.sort((a, b) => a - b);
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
}

/** Measure listing at each library size in `sizes` (ascending), filling the same library step by step. */
export async function measureListing(
  dataDir: string,
  sizes: readonly number[],
  requests: number,
  log: (line: string) => void,
): Promise<ListingResult[]> {
  const first = await startOurServer(dataDir);
  let session: DeviceSession;
  try {
    session = await signUp(first);
  } finally {
    await first.stop();
  }
  const results: ListingResult[] = [];
  let filled = 0;
  for (const size of sizes) {
    const fillStart = process.hrtime.bigint();
    await fillLibrary(dataDir, session, filled, size);
    const fillSeconds = secondsSince(fillStart);
    log(`  filled the library to ${size} files in ${fillSeconds.toFixed(1)} s`);
    filled = size;
    const server = await startOurServer(dataDir);
    try {
      const settled = await settle(server.pid, SETTLE_TIMEOUT_MS);
      log(
        `  restarted server ${settled.settled ? 'idle' : 'still busy'} after ${settled.seconds.toFixed(1)} s; ` +
          `timing ${requests} requests per page`,
      );
      const page = (offset: number): URL => new URL(`/api/files?offset=${offset}&limit=${PAGE_SIZE}`, server.url);
      const firstPage = await timePage(new URL(`/api/files?limit=${PAGE_SIZE}`, server.url), session, requests, size);
      const lastPage = await timePage(page(Math.max(0, size - PAGE_SIZE)), session, requests, size);
      results.push({ files: size, requests, firstPage, lastPage, fillSeconds, settle: settled });
    } finally {
      await server.stop();
    }
  }
  return results;
}
