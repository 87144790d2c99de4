/**
 * A loopback TCP proxy in front of the server that counts the bytes clients send through it (request
 * lines, headers and bodies): what a backup really put on the wire, even for a run that was SIGKILLed.
 * Closing it cuts every connection, like a dropped network.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface CountingProxy {
  readonly url: string;
  /** Bytes received from clients so far. */
  bytesIn(): number;
  /** Call `listener` once the count reaches `threshold`. */
  whenBytesIn(threshold: number, listener: () => void): void;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const { hostname, port } = new URL(target);
  let received = 0;
  const watchers: { threshold: number; listener: () => void }[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    client.on('data', (data: Buffer) => {
      received += data.length;
      for (const watcher of watchers.splice(0)) {
        if (received >= watcher.threshold) watcher.listener();
        else watchers.push(watcher);
      }
    });
    client.pipe(upstream).pipe(client);
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    bytesIn: () => received,
    whenBytesIn: (threshold, listener) => {
      if (received >= threshold) listener();
      else watchers.push({ threshold, listener });
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
