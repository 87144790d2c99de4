/**
 * The yardstick of `npm run bench`: a bare node:http server (no framework, no auth, no hashing, no index)
 * that streams each POST body into a new file of its own directory, fsyncs and closes it, then answers
 * 200 JSON. ./server-processes.ts runs it as a child process, like our server, so RSS and CPU are measured
 * the same way and apart from the load generator.
 * Must never: buffer a whole body, listen beyond loopback, or serve as anything but a measuring stick.
 *
 * Env: BASELINE_DIR (required, where bodies land), PORT (0 = any free port). Prints
 * `Baseline listening at http://127.0.0.1:NNNN` once ready; exits on SIGTERM/SIGINT.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

const directory = process.env['BASELINE_DIR'];
if (!directory) throw new Error('BASELINE_DIR is required');
await mkdir(directory, { recursive: true });

/** Body → new file → fsync (`flush`) → close; the file is removed again when anything fails. */
async function storeBody(request: http.IncomingMessage): Promise<number> {
  const path = join(directory ?? '', `${randomUUID()}.bin`);
  const sink = createWriteStream(path, { flags: 'wx', mode: 0o600, flush: true });
  try {
    await pipeline(request, sink);
    return sink.bytesWritten;
  } catch (error) {
    await unlink(path).catch(() => undefined);
    throw error;
  }
}

function answer(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

const server = http.createServer((request, response) => {
  if (request.method !== 'POST') {
    request.resume();
    answer(response, 404, { error: 'Only POST stores a body here' });
    return;
  }
  storeBody(request).then(
    (size) => answer(response, 200, { message: 'File uploaded', size }),
    (error: unknown) => {
      if (!response.headersSent && !response.destroyed) answer(response, 500, { error: String(error) });
    },
  );
});
server.keepAliveTimeout = 72_000;
server.requestTimeout = 0;

server.listen(Number(process.env['PORT'] ?? '0'), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`Baseline listening at http://127.0.0.1:${port}\n`);
});

function stop(): void {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
