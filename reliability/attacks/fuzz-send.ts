/**
 * Sends one fuzz request over a raw socket — so that no client library tidies up what the fuzzer meant to be
 * malformed — and reads the answer's status, content type and body. A request the server neither answers nor
 * closes within `timeoutMs` is reported as such, never as a failure of the client.
 */
import { connect } from 'node:net';
import type { FuzzRequest } from './fuzz-requests.ts';

export interface FuzzAnswer {
  /** 0 when no status line came back. */
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly outcome: 'answered' | 'closed without answer' | 'timed out';
}

function serialize(request: FuzzRequest, host: string): Buffer {
  if (request.raw) return request.raw;
  const body = request.body ?? Buffer.alloc(0);
  const headers: Record<string, string> = { host, connection: 'close', ...request.headers };
  const names = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  if (!names.has('content-length') && (body.length > 0 || request.method !== 'GET')) {
    headers['content-length'] = String(body.length);
  }
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return Buffer.concat([
    Buffer.from(`${request.method} ${request.path} HTTP/1.1\r\n${lines.join('')}\r\n`, 'latin1'),
    body,
  ]);
}

function parse(bytes: Buffer): Pick<FuzzAnswer, 'status' | 'contentType' | 'body'> {
  const text = bytes.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = end === -1 ? text : text.slice(0, end);
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
  const contentType = /\r\ncontent-type:\s*([^\r\n]*)/i.exec(head)?.[1] ?? '';
  return { status, contentType, body: end === -1 ? '' : text.slice(end + 4) };
}

export function sendFuzz(baseUrl: string, request: FuzzRequest, timeoutMs: number): Promise<FuzzAnswer> {
  const { hostname, port, host } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let settled = false;
    const finish = (outcome: FuzzAnswer['outcome']): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const answer = parse(Buffer.concat(received));
      resolve({ ...answer, outcome: answer.status > 0 ? 'answered' : outcome });
    };
    const timer = setTimeout(() => finish('timed out'), timeoutMs);
    socket.on('data', (part: Buffer) => received.push(part));
    socket.on('error', () => finish('closed without answer'));
    socket.on('close', () => finish('closed without answer'));
    // Not end(): a half-closed connection makes Node's server abort the request before it answers.
    socket.on('connect', () => socket.write(serialize(request, host)));
  });
}
