/**
 * The three ways bytes reach the server, as single requests over real sockets so that a test controls and
 * observes every one: a plain raw upload, a StealthCloud chunk (real ciphertext from packages/crypto) and the
 * tus calls (re-exported from apps/server's resumable test helpers).
 */
import { randomBytes } from 'node:crypto';
import { request, type ClientRequest } from 'node:http';
import { encryptChunkBytes } from '@photosync/crypto';
import { httpCall, sha256, type HttpResult } from '../../apps/server/test/support/library.ts';
import type { Session } from '../../apps/server/test/support/test-server.ts';

export { httpCall, sha256, type HttpResult };
export { createUpload, patch, tusCall, uploadMetadata } from '../../apps/server/test/resumable/tus-support.ts';

/** `POST /api/upload/raw` with the name percent-encoded, as our client sends it. */
export function rawUpload(
  baseUrl: string,
  session: Pick<Session, 'headers'>,
  filename: string,
  bytes: Buffer,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return httpCall(baseUrl, {
    method: 'POST',
    path: '/api/upload/raw',
    headers: {
      ...session.headers,
      'x-filename': encodeURIComponent(filename),
      'content-type': 'application/octet-stream',
      'content-length': bytes.length,
      ...headers,
    },
    body: bytes,
  });
}

/** `POST /api/cloud/chunks` with a raw body. */
export function putChunk(
  baseUrl: string,
  session: Pick<Session, 'headers'>,
  bytes: Buffer,
  chunkId = sha256(bytes),
): Promise<HttpResult> {
  return httpCall(baseUrl, {
    method: 'POST',
    path: '/api/cloud/chunks',
    headers: {
      ...session.headers,
      'x-chunk-id': chunkId,
      'content-type': 'application/octet-stream',
      'content-length': bytes.length,
    },
    body: bytes,
  });
}

export interface SealedChunk {
  readonly id: string;
  readonly bytes: Buffer;
}

/** A real StealthCloud chunk: `plaintextBytes` of random data sealed under a fresh file key. */
export async function sealedChunk(plaintextBytes: number): Promise<SealedChunk> {
  const ciphertext = await encryptChunkBytes(randomBytes(32), randomBytes(16), 0, randomBytes(plaintextBytes));
  const bytes = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
  return { id: sha256(bytes), bytes };
}

/** The JSON body of a response, or undefined when it is not JSON. */
export function jsonOf(result: HttpResult): Record<string, unknown> | undefined {
  try {
    return JSON.parse(result.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A request whose body the test sends in pieces: `first` now, the rest with `req.write`/`req.end` later. */
export interface OpenRequest {
  readonly req: ClientRequest;
  /** The answer; resolves even when the server answered early and closed the connection mid-body. */
  readonly answer: Promise<HttpResult>;
}

export function openRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string | number>,
  first: Buffer,
): OpenRequest {
  const req = request(`${baseUrl}${path}`, { method, headers });
  const answer = new Promise<HttpResult>((resolve, reject) => {
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      const done = (): void =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) });
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
  });
  req.write(first);
  return { req, answer };
}
