/**
 * A loopback TCP proxy that behaves like bad Wi-Fi, driven by a seeded PRNG so a failing run can be replayed:
 * at random checkpoints in the bytes sent towards the server it cuts the connection (always at the first
 * checkpoint of the run, then with probability `dropChance`), and it stalls the stream for a while at random
 * moments. It counts what it did; tests assert that faults really happened.
 * Must never: change a byte it forwards (a dropped connection stops, it never corrupts).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Transform } from 'node:stream';
import type { Prng } from './prng.ts';

export interface FlakyOptions {
  /** Chance that the connection is cut at a checkpoint (after the first cut of the run). */
  readonly dropChance: number;
  /** Checkpoints are between 16 KiB and this many bytes apart. */
  readonly maxBytesBeforeDrop: number;
  /** Chance, per piece of data forwarded, of a stall of 200 ms to `maxStallMs`. */
  readonly stallChance: number;
  readonly maxStallMs: number;
}

export interface FlakyProxy {
  readonly baseUrl: string;
  readonly faults: { drops: number; stalls: number; connections: number };
  close(): Promise<void>;
}

export async function flakyProxy(target: string, rng: Prng, options: FlakyOptions): Promise<FlakyProxy> {
  const { hostname, port } = new URL(target);
  const faults = { drops: 0, stalls: 0, connections: 0 };
  const sockets = new Set<Socket>();
  let firstDropDone = false;

  const server: Server = createServer((client) => {
    faults.connections += 1;
    const upstream = connect(Number(port), hostname);
    const checkpoint = (): number => rng.int(16 * 1024, options.maxBytesBeforeDrop);
    let nextCheck = checkpoint();
    let forwarded = 0;
    let cut = false;
    const towardsServer = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (cut) return done();
        while (forwarded + chunk.length >= nextCheck && firstDropDone && !rng.chance(options.dropChance)) {
          nextCheck += checkpoint();
        }
        if (forwarded + chunk.length >= nextCheck) {
          cut = true;
          firstDropDone = true;
          faults.drops += 1;
          this.push(chunk.subarray(0, nextCheck - forwarded));
          setImmediate(() => {
            client.destroy();
            upstream.destroy();
          });
          return done();
        }
        forwarded += chunk.length;
        if (rng.chance(options.stallChance)) {
          faults.stalls += 1;
          setTimeout(() => done(null, chunk), rng.int(200, options.maxStallMs));
        } else {
          done(null, chunk);
        }
      },
    });
    for (const [socket, peer] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(socket);
      socket.on('error', () => undefined); // resets are the point of this proxy
      socket.on('close', () => {
        sockets.delete(socket);
        peer.destroy();
      });
    }
    towardsServer.on('error', () => undefined);
    client.pipe(towardsServer).pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    faults,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
