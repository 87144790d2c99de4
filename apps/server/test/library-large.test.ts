// A 300 MB upload streamed over a real socket (generated on the fly, never held in memory by the test),
// then downloaded and compared by SHA-256 while streaming (defect 9: the server hashes as bytes arrive).
import { createHash, randomFillSync } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stagingLeftovers } from './support/library.ts';
import { registerUser, startTestServer, type Session, type TestServer } from './support/test-server.ts';

const CHUNK = 1024 * 1024;
const TOTAL = 300 * CHUNK;

/** TOTAL pseudo-random bytes in 1 MiB chunks, hashed as they are produced. */
function generatedBody(): { stream: Readable; digest: () => string } {
  const hash = createHash('sha256');
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= TOTAL) {
        this.push(null);
        return;
      }
      const chunk = randomFillSync(Buffer.allocUnsafe(Math.min(CHUNK, TOTAL - sent)));
      sent += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

interface Streamed {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  size: number;
  sha256: string;
  text: string;
}

/** One request; the response body is hashed and counted as it streams, never buffered whole. */
function streamedCall(
  base: string,
  options: { method: string; path: string; headers: Record<string, string | number>; body?: Readable },
): Promise<Streamed> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent: false,
        host: url.hostname,
        port: url.port,
        method: options.method,
        path: options.path,
        headers: { connection: 'close', ...options.headers },
      },
      (res) => {
        const hash = createHash('sha256');
        let size = 0;
        let text = '';
        res.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          size += chunk.length;
          if (text.length < 4096) text += chunk.toString('utf8');
        });
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, size, sha256: hash.digest('hex'), text }),
        );
      },
    );
    req.on('error', reject);
    if (options.body) options.body.pipe(req);
    else req.end();
  });
}

describe('large upload over real HTTP', () => {
  let server: TestServer;
  let base: string;
  let session: Session;
  beforeAll(async () => {
    server = await startTestServer();
    base = await server.listen();
    session = await registerUser(server.app);
  });
  afterAll(async () => server.close());

  it('stores a streamed 300 MB raw upload and serves back the identical bytes', { timeout: 300_000 }, async () => {
    const body = generatedBody();
    const upload = await streamedCall(base, {
      method: 'POST',
      path: '/api/upload/raw',
      headers: {
        ...session.headers,
        'x-filename': 'long-video.mp4',
        'content-type': 'video/mp4',
        'content-length': TOTAL,
      },
      body: body.stream,
    });
    const sent = body.digest();
    expect(upload.status).toBe(200);
    expect(JSON.parse(upload.text)).toMatchObject({
      message: 'File uploaded',
      filename: 'long-video.mp4',
      sha256: sent,
      size: TOTAL,
    });
    expect(await stagingLeftovers(server)).toEqual([]);

    const download = await streamedCall(base, {
      method: 'GET',
      path: '/api/files/long-video.mp4',
      headers: session.headers,
    });
    expect(download.status).toBe(200);
    expect(download.headers['content-length']).toBe(String(TOTAL));
    expect(download.size).toBe(TOTAL);
    expect(download.sha256).toBe(sent);
    expect(download.headers.etag).toBe(`"${sent}"`);

    const stats = await server.app.inject({ url: '/api/v2/library/stats', headers: session.headers });
    expect(stats.json()).toEqual({ count: 1, bytes: TOTAL });
  });
});
