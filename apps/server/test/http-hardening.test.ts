/** Defect 12: JSON errors without stack traces, no CORS unless configured; plus `GET /health` and `GET /`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.ts';

const STACK_FRAME = /\bat .+:\d+:\d+|node:internal|\.ts:\d+/;

describe('default server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('answers GET /health with {ok:true}', async () => {
    const response = await server.app.inject({ url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
  });

  it('answers GET / with the web app, or with 503 text before it is built (web-support/web-app-serving)', async () => {
    const response = await server.app.inject({ url: '/' });
    expect([200, 503]).toContain(response.statusCode);
    expect(response.headers['content-type']).toMatch(response.statusCode === 200 ? /^text\/html/ : /^text\/plain/);
  });

  it.each([
    ['GET', '/api/nope'],
    ['GET', '/api/files/x/y/z'],
    ['PUT', '/api/login'],
  ] as const)('answers an unknown route (%s %s) with 404 JSON {error, code}', async (method, url) => {
    const response = await server.app.inject({ method, url });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json<Record<string, unknown>>();
    expect(body['error']).toEqual(expect.any(String));
    expect(body['code']).toEqual(expect.any(String));
  });

  it.each([
    ['malformed JSON', '{"email": "a@example.com", "password":'],
    ['an empty JSON body', ''],
    ['a JSON string where an object is expected', '"just a string"'],
  ])('answers %s with 400 JSON and no stack trace', async (_label, payload) => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/login',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json<Record<string, unknown>>();
    expect(body['error']).toEqual(expect.any(String));
    expect(body['code']).toEqual(expect.any(String));
    expect(body).not.toHaveProperty('stack');
    expect(response.body).not.toMatch(STACK_FRAME);
  });

  it('sends no access-control-allow-origin header, even when an Origin is sent', async () => {
    const origin = 'https://evil.example.com';
    const simple = await server.app.inject({ url: '/health', headers: { origin } });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await server.app.inject({
      method: 'OPTIONS',
      url: '/api/login',
      headers: { origin, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS_ORIGINS', () => {
  const allowed = 'https://photos.example.com';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CORS_ORIGINS: `${allowed}, https://admin.example.com` });
  });
  afterAll(async () => server.close());

  it('allows a configured origin', async () => {
    const simple = await server.app.inject({ url: '/health', headers: { origin: allowed } });
    expect(simple.headers['access-control-allow-origin']).toBe(allowed);
    const preflight = await server.app.inject({
      method: 'OPTIONS',
      url: '/api/login',
      headers: { origin: allowed, 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBeLessThan(300);
    expect(preflight.headers['access-control-allow-origin']).toBe(allowed);
  });

  it('does not allow any other origin', async () => {
    for (const origin of ['https://evil.example.com', 'https://photos.example.com.evil.net']) {
      const response = await server.app.inject({ url: '/health', headers: { origin } });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});
