import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, createContext, loadConfig, type ServerContext } from '../src/index.ts';

describe('access log', () => {
  let dir: string;
  let context: ServerContext;
  let app: FastifyInstance;
  const lines: Record<string, unknown>[] = [];

  beforeEach(async () => {
    lines.length = 0;
    dir = await mkdtemp(join(tmpdir(), 'photosync-log-'));
    context = await createContext(loadConfig({ PHOTOSYNC_DATA_DIR: dir }));
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n'))
          if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    app = await buildApp(context, { level: 'info', stream });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await context.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one line per request with method, URL, status and time, and never a ticket or token', async () => {
    await app.inject({ method: 'GET', url: '/health' });
    await app.inject({
      method: 'GET',
      url: '/api/files/a.jpg?ticket=secret-ticket-value',
      headers: { authorization: 'Bearer secret-token-value' },
    });
    const requests = lines.filter((line) => line['req'] !== undefined);
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ msg: 'request completed', req: { method: 'GET', url: '/health' } });
    expect(requests[0]).toMatchObject({ res: { statusCode: 200 } });
    expect(typeof requests[0]?.['responseTime']).toBe('number');
    expect(requests[1]).toMatchObject({ req: { url: '/api/files/a.jpg?ticket=[redacted]' } });
    expect(JSON.stringify(lines)).not.toMatch(/secret-ticket-value|secret-token-value/);
  });
});
