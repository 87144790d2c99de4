/**
 * Requests Node's HTTP parser refuses before any route sees them get the usual `{error, code}` JSON and
 * `Connection: close`. Found by the reliability suite (reliability/attacks/hostile-uploads.test.ts): the answer
 * used to leave the connection looking reusable while the server closed it, so a keep-alive client's next
 * request failed with "socket hang up".
 */
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.ts';

function raw(baseUrl: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let answer = '';
    socket.on('data', (data: Buffer) => (answer += data.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
  });
}

function get(baseUrl: string, agent: Agent, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/health`, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('requests the HTTP parser refuses', () => {
  let server: TestServer;
  let baseUrl: string;
  beforeAll(async () => {
    server = await startTestServer();
    baseUrl = await server.listen();
  });
  afterAll(async () => server.close());

  it('answers headers too large with 431 JSON and Connection: close', async () => {
    const answer = await raw(baseUrl, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
      error: 'The request headers are too large',
      code: 'HEADERS_TOO_LARGE',
    });
  });

  it('answers a malformed request with 400 JSON and Connection: close', async () => {
    const answer = await raw(baseUrl, 'GET /health HTTP/1.1\r\nHost: x\r\nNo-Colon-Here\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer).toContain('"code":"BAD_REQUEST"');
  });

  it('lets a keep-alive client carry on after a refused request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(baseUrl, agent, { 'x-big': 'a'.repeat(20_000) })).toBe(431);
      expect(await get(baseUrl, agent)).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
