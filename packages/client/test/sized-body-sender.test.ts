// Medium tests of the Node body sender against a real node:http server on loopback: the bytes arrive
// whole with their Content-Length (also from one reused buffer), an early answer is returned without
// reading the rest of the body, and failures look like fetch's.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeSizedBodySender } from '../src/node/sized-body-sender.ts';
import { pooledReads } from '../src/node/pooled-reads.ts';
import type { SizedBody } from '../src/sized-body.ts';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

let server: http.Server;
let handler: Handler;
let url: URL;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'photosync-sender-'));
  server = http.createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`);
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** Answers with the SHA-256 and length of the body it received, and the headers that came with it. */
const hashingServer: Handler = (request, response) => {
  const hash = createHash('sha256');
  let length = 0;
  request.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    length += chunk.length;
  });
  request.on('end', () => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ sha256: hash.digest('hex'), length, headers: request.headers }));
  });
};

const send = nodeSizedBodySender();
const post = (body: SizedBody, signal?: AbortSignal) =>
  send({ url, method: 'POST', headers: { 'x-test': 'yes' }, body, ...(signal ? { signal } : {}) });

describe('nodeSizedBodySender', () => {
  it('streams a file read through one reused buffer, whole, with its Content-Length', async () => {
    handler = hashingServer;
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 'photo bytes ');
    const path = join(dir, 'IMG_0001.JPG');
    await writeFile(path, bytes);
    const reads = pooledReads();
    const body: SizedBody = {
      size: bytes.length,
      chunks: () => reads.readReusingBuffer(path, bytes.length),
      reusesChunks: true,
    };
    for (let run = 0; run < 2; run += 1) {
      const response = await post(body);
      const answer = (await response.json()) as { sha256: string; length: number; headers: Record<string, string> };
      expect(response.status).toBe(200);
      expect(answer.length).toBe(bytes.length);
      expect(answer.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(answer.headers['content-length']).toBe(String(bytes.length));
      expect(answer.headers['transfer-encoding']).toBeUndefined();
      expect(answer.headers['x-test']).toBe('yes');
    }
  });

  it('returns an answer that comes before the body is complete, without reading the rest', async () => {
    handler = (request, response) => {
      request.resume(); // discarded, as a server that refuses a body does
      response.writeHead(413, { 'content-type': 'application/json' });
      response.end('{"error":"too large","code":"PAYLOAD_TOO_LARGE"}');
    };
    let chunksRead = 0;
    const body: SizedBody = {
      size: 1024 * 1024 * 1024,
      async *chunks() {
        for (let i = 0; i < 4096; i += 1) {
          chunksRead += 1;
          yield Buffer.alloc(256 * 1024);
        }
      },
    };
    const response = await post(body);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'too large', code: 'PAYLOAD_TOO_LARGE' });
    expect(chunksRead).toBeLessThan(4096);
  });

  it('fails like fetch when nothing answers, with the socket error as the cause', async () => {
    const closed = new URL(url);
    await new Promise((resolve) => server.close(resolve));
    const failure = await send({
      url: closed,
      method: 'POST',
      headers: {},
      body: {
        size: 1,
        chunks: async function* () {
          yield Buffer.from('x');
        },
      },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError & { cause: { code: string } }).cause.code).toBe('ECONNREFUSED');
    server = http.createServer(); // for afterEach
    server.listen(0, '127.0.0.1');
  });

  it('passes a read error of the body on as it is', async () => {
    handler = hashingServer;
    const readError = new Error('EIO: i/o error, read');
    const body: SizedBody = {
      size: 100,
      async *chunks() {
        yield Buffer.alloc(10);
        throw readError;
      },
    };
    await expect(post(body)).rejects.toBe(readError);
  });

  it('stops on an abort', async () => {
    handler = () => undefined; // never answers
    const controller = new AbortController();
    const body: SizedBody = {
      size: 10,
      async *chunks() {
        yield Buffer.alloc(10);
        controller.abort();
      },
    };
    await expect(post(body, controller.signal)).rejects.toThrow(/abort/i);
  });
});

describe('pooledReads', () => {
  it.each([
    ['synchronously (a small, just-hashed file)', 1_000_000],
    ['asynchronously (a large file)', 100_000],
  ])('hashes, and reads from an offset %s, reusing one buffer for a whole file', async (_how, syncReadMaxBytes) => {
    const bytes = Buffer.from(Array.from({ length: 600_000 }, (_, i) => i % 251));
    const path = join(dir, 'clip.mov');
    await writeFile(path, bytes);
    const reads = pooledReads({ hashReadBytes: 256 * 1024, uploadReadBytes: 64 * 1024, syncReadMaxBytes });
    const expected = createHash('sha256').update(bytes).digest('hex');
    expect(await reads.sha256(path, bytes.length)).toBe(expected);
    expect(await reads.sha256(path)).toBe(expected);
    const copies: Buffer[] = [];
    const memory = new Set<ArrayBufferLike>();
    for await (const chunk of reads.readReusingBuffer(path, bytes.length, 1000)) {
      copies.push(Buffer.from(chunk));
      memory.add(chunk.buffer);
    }
    expect(Buffer.concat(copies).equals(bytes.subarray(1000))).toBe(true);
    expect(copies.length).toBeGreaterThan(1);
    expect(memory.size).toBe(1);
  });
});
