/**
 * The slow-body guard (src/http/slow-body-guard.ts) with a short window: a body that trickles in is cut; a
 * body the server itself is slow to read (backpressure) is not; a normal body is untouched. The 50-socket
 * version against the real server is reliability/faults/slow-loris.test.ts.
 */
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSlowBodyGuard } from '../src/http/slow-body-guard.ts';

const LIMITS = { windowMs: 400, minBytes: 1024 };

/** Send headers and the first body bytes, then `more` at the client's pace; resolves with what came back. */
function post(port: number, path: string, length: number, more: (write: (text: string) => void) => void) {
  return new Promise<{ closedByServer: boolean; answer: string }>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (data: Buffer) => (answer += data.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ closedByServer: !answer.startsWith('HTTP/1.1 200'), answer }));
    socket.on('connect', () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n`);
      socket.write(`Content-Length: ${length}\r\nConnection: close\r\n\r\n`);
      more((text) => socket.write(text));
    });
  });
}

describe('slow-body guard', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    app = Fastify();
    registerSlowBodyGuard(app, LIMITS);
    app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    app.post('/read', async (request) => {
      let bytes = 0;
      for await (const part of request.raw) bytes += (part as Buffer).length;
      return { bytes };
    });
    // A handler that reads nothing for a while, as a server waiting on a busy disk would.
    app.post('/busy', async (request) => {
      await delay(4 * LIMITS.windowMs);
      let bytes = 0;
      for await (const part of request.raw) bytes += (part as Buffer).length;
      return { bytes };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => app.close());

  it('cuts a body that delivers less than minBytes per window', async () => {
    const result = await post(port, '/read', 100_000, (write) => {
      const trickle = setInterval(() => write('a'), 50);
      setTimeout(() => clearInterval(trickle), 10 * LIMITS.windowMs);
    });
    expect(result).toEqual({ closedByServer: true, answer: '' });
  });

  it('keeps a body the server is slow to read, and one that arrives at a normal pace', async () => {
    const big = 'b'.repeat(200_000);
    const busy = await post(port, '/busy', big.length, (write) => write(big));
    expect(busy.answer).toContain('{"bytes":200000}');
    const steady = await post(port, '/read', 8 * 4096, (write) => {
      let sent = 0;
      const pace = setInterval(() => {
        write('c'.repeat(4096));
        sent += 1;
        if (sent === 8) clearInterval(pace);
      }, LIMITS.windowMs / 4);
    });
    expect(steady.answer).toContain('{"bytes":32768}');
  });
});
