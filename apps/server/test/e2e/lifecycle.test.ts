/**
 * The server as a user runs it: graceful shutdown lets an in-flight upload finish, and a large upload
 * streams through with flat memory (peak RSS of the server process, not time, is asserted).
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '@photosync/client';
import { peakRssBytes, startServerProcess, type ServerProcess } from '../support/server-process.ts';

interface Upload {
  status: number;
  body: string;
}

/** POST a streamed body to the raw route with node:http, so the test controls the pace. */
function rawUpload(url: string, headers: Record<string, string>, body: Readable): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/upload/raw`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    body.pipe(req);
  });
}

async function signIn(server: ServerProcess): Promise<Record<string, string>> {
  const session = await createClient({ baseUrl: server.url }).register({
    email: 'life@example.com',
    password: 'lifecycle-pw',
    deviceUuid: 'life-device',
  });
  return { authorization: `Bearer ${session.token}`, 'x-device-uuid': 'life-device' };
}

describe('server process lifecycle', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));
  const freshDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'photosync-life-'));
    dirs.push(dir);
    return dir;
  };

  it('on SIGTERM finishes the in-flight upload, then exits 0 with the file stored', async () => {
    const dataDir = await freshDir();
    let server = await startServerProcess(dataDir);
    const auth = await signIn(server);
    const parts = Array.from({ length: 10 }, (_, i) => Buffer.alloc(100_000, i));
    let sent = 0;
    let signalled = false;
    const slowBody = new Readable({
      read() {
        if (sent === 5 && !signalled) {
          signalled = true;
          server.child.kill('SIGTERM');
        }
        const next = parts[sent];
        sent += 1;
        setTimeout(() => this.push(next ?? null), 50);
      },
    });
    const result = await rawUpload(
      server.url,
      { ...auth, 'x-filename': 'slow.jpg', 'content-length': String(1_000_000) },
      slowBody,
    );
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ filename: 'slow.jpg', size: 1_000_000 });
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutting down');

    server = await startServerProcess(dataDir);
    const client = createClient({
      baseUrl: server.url,
      auth: { token: auth['authorization']?.slice(7) ?? '', deviceUuid: 'life-device' },
    });
    const bytes = new Uint8Array(await (await client.download('slow.jpg')).arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      createHash('sha256').update(Buffer.concat(parts)).digest('hex'),
    );
    expect(await server.kill('SIGTERM')).toBe(0);
  });

  it('streams a 1 GiB upload with flat server memory and stores it byte-exact', async () => {
    const server = await startServerProcess(await freshDir());
    const auth = await signIn(server);
    await delay(200);
    const before = await peakRssBytes(server.pid);
    const size = 1024 * 1024 * 1024;
    const block = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < block.length; i += 1) block[i] = (i * 31) & 0xff;
    const hash = createHash('sha256');
    let produced = 0;
    const body = new Readable({
      read() {
        if (produced >= size) return void this.push(null);
        produced += block.length;
        hash.update(block);
        this.push(block);
      },
    });
    const result = await rawUpload(
      server.url,
      { ...auth, 'x-filename': 'big.mov', 'content-length': String(size) },
      body,
    );
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ size, sha256: hash.digest('hex') });
    const growth = (await peakRssBytes(server.pid)) - before;
    console.log(`1 GiB upload: server peak RSS grew by ${(growth / 2 ** 20).toFixed(1)} MiB`);
    expect(growth).toBeLessThan(100 * 2 ** 20);
    expect(await server.kill('SIGTERM')).toBe(0);
  });
});
