/**
 * The web app at `/`: files from WEB_DIR with a strict CSP, index.html for page addresses (never for
 * /api/*), year-long caching for hashed assets only, nothing outside WEB_DIR, and a clear 503 when the web
 * app is not built.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const INDEX = '<!doctype html><title>PhotoSync</title><div id="root"></div>';
const html = { accept: 'text/html,application/xhtml+xml' };

let webDir: string;
let server: TestServer;
beforeAll(async () => {
  webDir = await mkdtemp(join(tmpdir(), 'photosync-web-'));
  await mkdir(join(webDir, 'assets'));
  await writeFile(join(webDir, 'index.html'), INDEX);
  await writeFile(join(webDir, 'assets', 'index-3f2a1b.js'), 'console.log(1)');
  await writeFile(join(webDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(webDir, '..', 'outside-web-dir.txt'), 'secret');
  server = await startTestServer({ WEB_DIR: webDir });
});
afterAll(async () => {
  await server.close();
  await rm(join(webDir, '..', 'outside-web-dir.txt'), { force: true });
  await rm(webDir, { recursive: true, force: true });
});

describe('serving the web app', () => {
  it('answers / with index.html, revalidated, under a strict same-origin CSP', async () => {
    const response = await server.app.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toBe(INDEX);
    expect(response.headers['cache-control']).toBe('no-cache');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:|\*|'unsafe-inline'|'unsafe-eval'/);
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answers page addresses of the app with index.html when a page is asked for', async () => {
    for (const url of ['/timeline', '/admin', '/viewer/IMG_0001.HEIC']) {
      const response = await server.app.inject({ url, headers: html });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toBe(INDEX);
    }
  });

  it('caches hashed assets for a year and other files not at all', async () => {
    const asset = await server.app.inject({ url: '/assets/index-3f2a1b.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await server.app.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('never answers an API path with the page', async () => {
    for (const url of ['/api/nope', '/api/v2/timeline-typo', '/api']) {
      const response = await server.app.inject({ url, headers: html });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('answers a missing file with 404 JSON to anything that is not a page request', async () => {
    const response = await server.app.inject({ url: '/assets/missing-123.js' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('never serves a file outside WEB_DIR', async () => {
    for (const url of [
      '/../outside-web-dir.txt',
      '/%2e%2e/outside-web-dir.txt',
      '/assets/..%2f..%2foutside-web-dir.txt',
    ]) {
      const response = await server.app.inject({ url });
      expect(response.body, url).not.toContain('secret');
    }
  });
});

describe('before the web app is built', () => {
  it('answers / with 503 text saying how to build it, and other paths with 404 JSON', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'photosync-web-empty-'));
    const unbuilt = await startTestServer({ WEB_DIR: empty });
    try {
      const root = await unbuilt.app.inject({ url: '/' });
      expect(root.statusCode).toBe(503);
      expect(root.headers['content-type']).toMatch(/^text\/plain/);
      expect(root.body).toContain('npm start');
      const page = await unbuilt.app.inject({ url: '/timeline', headers: html });
      expect(page.statusCode).toBe(404);
      expect(page.headers['content-type']).toMatch(/^application\/json/);
    } finally {
      await unbuilt.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
