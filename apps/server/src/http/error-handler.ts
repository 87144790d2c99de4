/**
 * The one place errors become HTTP responses: `{error, code}` JSON with the right status. Internals of a 5xx
 * are logged with the request id and never sent to the client; no HTML pages, no stack traces.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance } from 'fastify';
import { BlobNotFoundError, BlobTooLargeError, InvalidKeyError, StorageFullError } from '@photosync/storage';
import { DomainError, RangeNotSatisfiable, TooManyRequests } from '../services/errors.ts';

interface Mapped {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

export function mapError(error: unknown): Mapped {
  if (error instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (error instanceof TooManyRequests) headers['retry-after'] = String(error.retryAfterSeconds);
    if (error instanceof RangeNotSatisfiable) headers['content-range'] = `bytes */${error.size}`;
    return { status: error.status, body: { error: error.message, code: error.code, ...error.details }, headers };
  }
  if (error instanceof BlobTooLargeError) {
    return {
      status: 413,
      body: { error: `File is larger than the server's limit of ${error.maxBytes} bytes`, code: 'PAYLOAD_TOO_LARGE' },
    };
  }
  const code = (error as { code?: string } | undefined)?.code;
  if (error instanceof StorageFullError || (code && FULL_CODES.has(code))) {
    return {
      status: 507,
      body: { error: 'The server is out of disk space; nothing was stored', code: 'INSUFFICIENT_STORAGE' },
    };
  }
  if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED')) {
    // Another process held the database longer than the busy timeout. Writes roll back, uploads take their
    // bytes back: nothing was stored, and trying again shortly is the right thing to do.
    return {
      status: 503,
      body: { error: 'The server is busy; nothing was stored. Try again in a moment', code: 'SERVER_BUSY' },
      headers: { 'retry-after': '5' },
    };
  }
  if (error instanceof BlobNotFoundError) return { status: 404, body: { error: 'File not found', code: 'NOT_FOUND' } };
  if (error instanceof InvalidKeyError)
    return { status: 400, body: { error: 'Invalid file name', code: 'INVALID_FILENAME' } };
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const codeName = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
    return { status, body: { error: fastifyError.message ?? 'Bad request', code: codeName } };
  }
  if (
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (error as Error | undefined)?.message === 'aborted'
  ) {
    return { status: 400, body: { error: 'The upload was interrupted; nothing was stored', code: 'UPLOAD_ABORTED' } };
  }
  return { status: 500, body: { error: 'Internal server error', code: 'INTERNAL' } };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (error, request, reply) => {
    const mapped = mapError(error);
    if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: mapped.body['code'] }, 'request refused');
    // Refused mid-body (too large, disk full): close the connection rather than wait for the rest of the bytes.
    if (!request.raw.complete) reply.header('connection', 'close');
    return reply
      .status(mapped.status)
      .headers(mapped.headers ?? {})
      .send(mapped.body);
  });
  app.setNotFoundHandler(async (_request, reply) => reply.status(404).send({ error: 'Not found', code: 'NOT_FOUND' }));
}

const CLIENT_ERRORS: Record<string, { status: number; reason: string; error: string; code: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    error: 'The request took too long to arrive',
    code: 'REQUEST_TIMEOUT',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    error: 'The request headers are too large',
    code: 'HEADERS_TOO_LARGE',
  },
};
const MALFORMED = { status: 400, reason: 'Bad Request', error: 'Malformed HTTP request', code: 'BAD_REQUEST' };

/**
 * Requests Node's parser refuses before Fastify sees them (malformed, headers too large, headers too slow):
 * the same `{error, code}` JSON as every other error, and `Connection: close`, because the connection is
 * closed right after — without it a keep-alive client would send its next request into a dead socket.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify({ error: answer.error, code: answer.code });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${answer.status} ${answer.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
