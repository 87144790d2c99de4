/**
 * The OpenAPI document: the served copy equals the committed file, and the route table it is generated from
 * matches what the server really registers (no undocumented route, no documented route missing).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '@photosync/protocol';
import { startTestServer, type TestServer } from './support/test-server.ts';

const toFastifyPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

describe('OpenAPI document', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('is served at /api/docs/openapi.json exactly as committed', async () => {
    const committed = await readFile(new URL('../../../packages/protocol/openapi.json', import.meta.url), 'utf8');
    const response = await server.app.inject({ url: '/api/docs/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toBe(committed);
    const document = JSON.parse(committed) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/api/upload/raw');
  });

  it('documents every route the server registers, and nothing it does not', () => {
    const documented = routes.map((route) => `${route.method.toUpperCase()} ${toFastifyPath(route.path)}`).sort();
    const registered = registeredRoutes(server.app.printRoutes({ commonPrefix: false })).sort();
    expect(registered).toEqual(documented);
  });
});

/**
 * Rebuild `METHOD /full/path` pairs from Fastify's route tree printout. HEAD is implied by GET and dropped there;
 * an explicit HEAD route (the tus mount) is kept.
 */
function registeredRoutes(tree: string): string[] {
  const found: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([\s│├└─]*)(\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const [, indent = '', segment = '', methods = ''] = match;
    const depth = indent.length / 4;
    const parent = stack[depth - 1] ?? '';
    const path =
      depth === 0 ? segment : `${parent}${parent.endsWith('/') || segment.startsWith('/') ? '' : '/'}${segment}`;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of methods.split(', ')) found.push(`${method} ${path}`);
  }
  return found.filter((route) => !route.startsWith('HEAD ') || !found.includes(`GET ${route.slice('HEAD '.length)}`));
}
