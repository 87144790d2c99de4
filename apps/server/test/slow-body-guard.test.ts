/**
 * The slow-body guard (src/http/slow-body-guard.ts). Its bookkeeping with explicit times: only time the server
 * spent waiting for the client counts ([Note: waiting time]). Then over real sockets, with a short window: a
 * body that trickles in is cut; a body the server is slow to read (an awaited disk, a stalled event loop) and
 * one that arrives at a normal pace are not. Nothing here depends on how fast the machine is: a cut needs a
 * client that sends nothing, and what is kept is kept however late the checks run. The 50-socket version
 * against the real server is reliability/faults/slow-loris.test.ts.
 */
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyPace, registerSlowBodyGuard } from '../src/http/slow-body-guard.ts';

const LIMITS = { windowMs: 400, minBytes: 1024 };
const CHECK_MS = LIMITS.windowMs / 4;

describe('body pace bookkeeping', () => {
  const pace = () => new BodyPace(LIMITS, CHECK_MS, { at: 0, bytesRead: 500 });

  it('is too slow after a window of waiting that brought less than minBytes', () => {
    const meter = pace();
    const verdicts = [1, 2, 3, 4].map((n) =>
      meter.check({ at: n * CHECK_MS, bytesRead: 500 + n, serverIsBehind: false }),
    );
    expect(verdicts.map((verdict) => verdict.tooSlow)).toEqual([false, false, false, true]);
    expect(verdicts.at(-1)?.delivered).toBe(4);
  });

  it('does not count a stalled event loop: a late check counts one check interval', () => {
    const meter = pace();
    // The loop was blocked for 25 windows; the client's bytes waited in the socket, unread.
    const late = 25 * LIMITS.windowMs;
    expect(meter.check({ at: late, bytesRead: 500, serverIsBehind: false }).tooSlow).toBe(false);
    const after = [1, 2, 3].map((n) =>
      meter.check({ at: late + n * CHECK_MS, bytesRead: 500 + n * 4096, serverIsBehind: false }),
    );
    expect(after.map((verdict) => verdict.tooSlow)).toEqual([false, false, false]);
  });

  it('does not count time in which the request held unread bytes (backpressure)', () => {
    const meter = pace();
    for (let n = 1; n <= 100; n += 1) {
      expect(meter.check({ at: n * CHECK_MS, bytesRead: 500 + 16_384, serverIsBehind: true }).tooSlow).toBe(false);
    }
    // Reading again: the bytes delivered while the server was behind count for the client.
    const reading = [101, 102, 103, 104].map((n) =>
      meter.check({ at: n * CHECK_MS, bytesRead: 500 + 16_384, serverIsBehind: false }),
    );
    expect(reading.map((verdict) => verdict.tooSlow)).toEqual([false, false, false, false]);
  });

  it('keeps a body that delivers minBytes in every window, window after window', () => {
    const meter = pace();
    for (let n = 1; n <= 40; n += 1) {
      const bytesRead = 500 + n * (LIMITS.minBytes / 4);
      expect(meter.check({ at: n * CHECK_MS, bytesRead, serverIsBehind: false }).tooSlow).toBe(false);
    }
    // ... and the next window that brings nothing is cut: each window is judged on its own.
    const last = 500 + 40 * (LIMITS.minBytes / 4);
    const idle = [41, 42, 43, 44].map((n) => meter.check({ at: n * CHECK_MS, bytesRead: last, serverIsBehind: false }));
    expect(idle.map((verdict) => verdict.tooSlow)).toEqual([false, false, false, true]);
  });
});

/** Send headers and the first body bytes, then `more` at the client's pace; resolves with what came back. */
function post(port: number, path: string, length: number, more: (write: (text: string) => void) => () => void) {
  return new Promise<{ closedByServer: boolean; answer: string }>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let stop = (): void => undefined;
    socket.on('data', (data: Buffer) => (answer += data.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      stop();
      resolve({ closedByServer: !answer.startsWith('HTTP/1.1 200'), answer });
    });
    socket.on('connect', () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n`);
      socket.write(`Content-Length: ${length}\r\nConnection: close\r\n\r\n`);
      stop = more((text) => socket.write(text));
    });
  });
}

/** A client that sends the whole body at once. */
const allAtOnce = (body: string) => (write: (text: string) => void) => {
  write(body);
  return (): void => undefined;
};

async function readAll(request: { raw: AsyncIterable<unknown> }): Promise<{ bytes: number }> {
  let bytes = 0;
  for await (const part of request.raw) bytes += (part as Buffer).length;
  return { bytes };
}

describe('slow-body guard', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    app = Fastify();
    registerSlowBodyGuard(app, LIMITS);
    app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    app.post('/read', readAll);
    // Reads nothing for a while, as a server waiting on a busy disk would.
    app.post('/busy', async (request) => {
      await delay(4 * LIMITS.windowMs);
      return readAll(request);
    });
    // Waits on a busy disk, takes what was buffered after the event loop's I/O phase, then stalls the loop for
    // longer than a window (a busy CPU, a long GC): the client's next bytes wait in the socket, unread, until
    // after the guard's next check.
    app.post('/stall', async (request) => {
      await delay(2 * LIMITS.windowMs);
      await new Promise((resolve) => setImmediate(resolve));
      let bytes = 0;
      for await (const part of request.raw) {
        if (bytes === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3 * LIMITS.windowMs);
        bytes += (part as Buffer).length;
      }
      return { bytes };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => app.close());

  it('cuts a body that delivers less than minBytes per window', async () => {
    const result = await post(port, '/read', 100_000, (write) => {
      const trickle = setInterval(() => write('a'), 50);
      return () => clearInterval(trickle);
    });
    expect(result).toEqual({ closedByServer: true, answer: '' });
  });

  it('keeps a body the server is slow to read: it awaits a busy disk', async () => {
    const big = 'b'.repeat(200_000);
    const busy = await post(port, '/busy', big.length, allAtOnce(big));
    expect(busy.answer).toContain('{"bytes":200000}');
  });

  it('keeps a body the server is slow to read: its event loop stalls for longer than a window', async () => {
    const big = 's'.repeat(1_000_000);
    const stalled = await post(port, '/stall', big.length, allAtOnce(big));
    expect(stalled.answer).toContain('{"bytes":1000000}');
  });

  it('keeps a body that arrives at a normal pace', async () => {
    const steady = await post(port, '/read', 8 * 4096, (write) => {
      let sent = 0;
      const pace = setInterval(() => {
        write('c'.repeat(4096));
        sent += 1;
        if (sent === 8) clearInterval(pace);
      }, CHECK_MS);
      return () => clearInterval(pace);
    });
    expect(steady.answer).toContain('{"bytes":32768}');
  });
});
