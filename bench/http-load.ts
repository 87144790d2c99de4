/**
 * The load generator: plain node:http requests over a keep-alive agent, a bounded-concurrency runner, and
 * latency percentiles. The same code drives our server and the baseline, so their numbers compare.
 * Must never: retry (a failed request fails the run), leave a request without a timeout, or leave loopback.
 */
import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const REQUEST_IDLE_TIMEOUT_MS = 120_000;

export interface RequestSpec {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers?: Record<string, string>;
  /** Written in order, then the request ends. */
  readonly chunks?: readonly Buffer[];
  /** Streamed with backpressure (for bodies too large to hold, or read from a file). */
  readonly stream?: Iterable<Buffer> | AsyncIterable<Buffer>;
}

export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** A keep-alive agent: one socket per concurrent client, reused across requests. */
export function keepAliveAgent(clients: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
}

/** Send one request and read the whole (small) answer; rejects on a network error or stalled socket. */
export function send(agent: http.Agent, spec: RequestSpec): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const request = http.request(spec.url, { method: spec.method, agent, headers: spec.headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
      response.on('error', reject);
    });
    request.setTimeout(REQUEST_IDLE_TIMEOUT_MS, () =>
      request.destroy(new Error(`${spec.method} ${spec.url.pathname}: no progress for ${REQUEST_IDLE_TIMEOUT_MS} ms`)),
    );
    request.on('error', reject);
    if (spec.stream) {
      pipeline(Readable.from(spec.stream, { objectMode: false }), request).catch(reject);
      return;
    }
    for (const chunk of spec.chunks ?? []) request.write(chunk);
    request.end();
  });
}

/** Like `send`, but a non-2xx answer is an error naming the server's reply. */
export async function sendOk(agent: http.Agent, spec: RequestSpec): Promise<Answer> {
  const answer = await send(agent, spec);
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${spec.method} ${spec.url.pathname} → ${answer.status}: ${answer.body.slice(0, 500)}`);
  }
  return answer;
}

/** Run `task(0..count-1)` with at most `concurrency` in flight; stops starting new ones after a failure. */
export async function runBounded(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < count) {
      const index = next;
      next += 1;
      try {
        await task(index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** The `p`-th percentile (0–100) of already sorted samples, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Seconds elapsed since `start` (from process.hrtime.bigint()). */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
