/**
 * Helpers for the resumable upload tests: tus-js-client (Node) wrapped in a promise, raw tus requests over a
 * real socket, and a loopback TCP proxy that counts every byte a client sends (headers included).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Upload, type HttpResponse } from 'tus-js-client';
import { httpCall, sha256, type HttpResult } from '../support/library.ts';
import type { Session } from '../support/test-server.ts';

export const MiB = 1024 * 1024;

export interface TusOutcome {
  readonly url: string;
  readonly response: HttpResponse;
}

export interface TusOptions {
  readonly filename?: string;
  /** Declared SHA-256; defaults to the real one. */
  readonly sha256?: string;
  readonly chunkSize?: number;
  /** Continue this upload instead of creating one. */
  readonly uploadUrl?: string;
  /** Called after each acknowledged chunk; return true to abort the upload there. */
  readonly abortAfter?: (bytesAccepted: number) => boolean;
}

/** Upload `bytes` with tus-js-client; resolves with the final response, or `aborted` when abortAfter hit. */
export function tusUpload(
  baseUrl: string,
  session: Session,
  bytes: Buffer,
  options: TusOptions = {},
): Promise<TusOutcome | { aborted: string }> {
  return new Promise((resolve, reject) => {
    const upload: Upload = new Upload(bytes, {
      endpoint: `${baseUrl}/api/v2/tus`,
      ...(options.uploadUrl ? { uploadUrl: options.uploadUrl } : {}),
      headers: session.headers,
      chunkSize: options.chunkSize ?? MiB,
      retryDelays: null,
      metadata: { filename: options.filename ?? 'video.mp4', sha256: options.sha256 ?? sha256(bytes) },
      onChunkComplete: (_chunk, accepted) => {
        if (options.abortAfter?.(accepted)) {
          upload.abort().then(() => resolve({ aborted: upload.url ?? '' }), reject);
        }
      },
      onSuccess: ({ lastResponse }) => resolve({ url: upload.url ?? '', response: lastResponse }),
      onError: reject,
    });
    upload.start();
  });
}

/** The final response of a finished tus upload (fails the test if it was aborted instead). */
export function finished(outcome: TusOutcome | { aborted: string }): TusOutcome {
  if ('aborted' in outcome) throw new Error('the upload was aborted');
  return outcome;
}

/** `Upload-Metadata` for raw requests: `key base64(value)` pairs. */
export function uploadMetadata(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}

/** One raw tus request (Tus-Resumable set) over a real socket. */
export function tusCall(
  baseUrl: string,
  method: 'POST' | 'HEAD' | 'PATCH' | 'DELETE' | 'OPTIONS',
  path: string,
  headers: Record<string, string | number>,
  body?: Buffer,
): Promise<HttpResult> {
  return httpCall(baseUrl, {
    method,
    path,
    headers: { 'tus-resumable': '1.0.0', ...headers },
    ...(body ? { body } : {}),
  });
}

/** Create an upload with raw requests; returns its path (`/api/v2/tus/{id}`). */
export async function createUpload(baseUrl: string, session: Session, bytes: Buffer, filename = 'a.jpg') {
  const created = await tusCall(baseUrl, 'POST', '/api/v2/tus', {
    ...session.headers,
    'upload-length': bytes.length,
    'upload-metadata': uploadMetadata({ filename, sha256: sha256(bytes) }),
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.body.toString()}`);
  return String(created.headers.location);
}

/** Send `bytes` as one PATCH at `offset`. */
export function patch(baseUrl: string, session: Session, path: string, offset: number, bytes: Buffer) {
  return tusCall(
    baseUrl,
    'PATCH',
    path,
    { ...session.headers, 'upload-offset': offset, 'content-type': 'application/offset+octet-stream' },
    bytes,
  );
}

/** A TCP proxy to `target` that counts the bytes clients send through it. */
export async function countingProxy(
  target: string,
): Promise<{ baseUrl: string; sent(): number; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  let sent = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const [socket, peer] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(socket);
      socket.on('error', () => undefined); // an aborted upload resets connections; that is the point
      socket.on('close', () => {
        sockets.delete(socket);
        peer.destroy(); // a connection cut on one side is cut on the other, as without a proxy
      });
    }
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
    });
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    sent: () => sent,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
