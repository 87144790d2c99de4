/**
 * Slow-loris: 50 sockets hold the server — some silent, some trickling their headers a byte at a time, some
 * sending complete upload headers and then a body byte every two seconds. While they are open a normal client
 * uploads and reads as usual; then the server cuts every one of them by itself (headersTimeout for the first
 * two kinds, the slow-body guard for the last, apps/server/src/http/slow-body-guard.ts), and leaves nothing
 * staged. The bound waited for is twice the configured limits, not a measurement.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readDiskState } from '../support/disk-state.ts';
import { recordResult } from '../support/results.ts';
import { figures, TEST_TIMEOUT_MS } from '../support/scale.ts';
import { signUp, startServer, tempDirs, type Account } from '../support/server.ts';
import { rawUpload, sha256 } from '../support/uploads.ts';

type Kind = 'silent' | 'headers' | 'body';

interface SlowClient {
  readonly kind: Kind;
  readonly socket: Socket;
  closedAfterMs?: number;
  /** What the server said before closing, if anything (e.g. 408 for headers that never finished). */
  answer: string;
}

function slowClient(baseUrl: string, kind: Kind, account: Account): SlowClient {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  const client: SlowClient = { kind, socket, answer: '' };
  const opened = Date.now();
  let trickle: NodeJS.Timeout | undefined;
  socket.on('data', (data: Buffer) => (client.answer += data.toString('latin1')));
  socket.on('error', () => undefined);
  socket.on('close', () => {
    clearInterval(trickle);
    client.closedAfterMs = Date.now() - opened;
  });
  socket.on('connect', () => {
    if (kind === 'silent') return;
    if (kind === 'headers') {
      socket.write(`POST /api/upload/raw HTTP/1.1\r\nHost: ${hostname}\r\nX-Padding: `);
    } else {
      const auth = Object.entries(account.headers).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(
        `POST /api/upload/raw HTTP/1.1\r\nHost: ${hostname}\r\n${auth.join('')}` +
          `X-Filename: slow.jpg\r\nContent-Type: image/jpeg\r\nContent-Length: 10000000\r\n\r\n`,
      );
    }
    trickle = setInterval(() => socket.write('a'), 2000);
  });
  return client;
}

describe('slow-loris clients', { timeout: TEST_TIMEOUT_MS }, () => {
  const dirs = tempDirs();
  afterAll(() => dirs.removeAll());
  const count = figures.slowLoris.sockets;

  it(`cuts ${count} slow clients by its timeouts while a normal client is served`, async () => {
    const dataDir = await dirs.make('slow-loris');
    const server = await startServer(dataDir);
    const account = await signUp(server.url, 'loris@example.com');
    const kinds: Kind[] = ['silent', 'headers', 'body'];
    const slow = Array.from({ length: count }, (_, i) => slowClient(server.url, kinds[i % 3] as Kind, account));
    await vi.waitFor(() => expect(slow.every((client) => client.socket.readyState === 'open')).toBe(true));

    const photo = randomBytes(8 * 2 ** 20);
    const normal = await rawUpload(server.url, account, 'normal.jpg', photo);
    expect(normal.status).toBe(200);
    const back = Buffer.from(await (await account.client.download('normal.jpg')).arrayBuffer());
    expect(sha256(back)).toBe(sha256(photo));
    expect(
      slow.filter((client) => client.closedAfterMs !== undefined),
      'all still open meanwhile',
    ).toEqual([]);

    await vi.waitFor(() => expect(slow.filter((client) => client.closedAfterMs === undefined)).toEqual([]), {
      timeout: 2 * 65_000,
      interval: 1000,
    });
    const slowest = (kind: Kind): number =>
      Math.max(...slow.filter((client) => client.kind === kind).map((client) => client.closedAfterMs ?? 0));
    expect(slow.filter((client) => client.kind === 'headers').every((client) => client.answer.includes(' 408 '))).toBe(
      true,
    );
    expect((await readDiskState(dataDir)).problems).toEqual([]);
    expect((await account.client.listFiles()).files.map((file) => file.filename)).toEqual(['normal.jpg']);
    recordResult({
      test: 'slow-loris (50 sockets)',
      faults: count,
      verified: 1,
      lost: 0,
      notes:
        `all cut by the server: silent and trickled headers within ${Math.round(slowest('headers') / 1000)} s ` +
        `(408), trickled bodies within ${Math.round(slowest('body') / 1000)} s; a normal upload meanwhile`,
    });
    expect(await server.kill('SIGTERM')).toBe(0);
  });
});
