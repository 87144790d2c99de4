/**
 * Plumbing for routes that take a file-sized body as a stream (library uploads, vault chunks): scopes where
 * raw bodies pass through unparsed or multipart is enabled with limits, and header/stream helpers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart, { type MultipartFile } from '@fastify/multipart';
import { BadRequest } from '../services/errors.ts';

export function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Content-Length as a number, when the client sent one. */
export function declaredLength(request: FastifyRequest): number | undefined {
  const value = Number(header(request, 'content-length'));
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** Register `routes` in a scope where any media type arrives as an unparsed, unbuffered stream. */
export async function rawBodyScope(app: FastifyInstance, routes: (scope: FastifyInstance) => void): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    routes(scope);
  });
}

/** Register `routes` in a scope with multipart parsing: one file of at most `fileSize` bytes. */
export async function multipartScope(
  app: FastifyInstance,
  fileSize: number,
  routes: (scope: FastifyInstance) => void,
): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 30, headerPairs: 100 },
      throwFileSizeLimit: true,
    });
    routes(scope);
  });
}

/**
 * A parse error of the multipart body (busboy: bad boundary, body ended before the closing boundary, malformed
 * part header) is the client's, so a 400 — busboy reports them as plain Errors, which would otherwise be 500s.
 */
function asClientError(error: unknown): unknown {
  const parseError =
    error instanceof Error &&
    (error as { statusCode?: number }).statusCode === undefined &&
    /multipart|boundary|part header/i.test(error.message);
  return parseError
    ? new BadRequest('The multipart body is malformed; nothing was stored', 'MALFORMED_MULTIPART')
    : error;
}

/** The request's first file part (undefined when there is none), with parse errors as 400. */
export async function firstFile(request: FastifyRequest): Promise<MultipartFile | undefined> {
  try {
    return await request.file();
  } catch (error) {
    throw asClientError(error);
  }
}

/** A multipart file stream that fails (instead of ending quietly) when busboy cut it at the size limit. */
export async function* untruncated(file: AsyncIterable<Uint8Array> & { truncated: boolean }, tooLarge: () => Error) {
  try {
    for await (const chunk of file) yield chunk;
  } catch (error) {
    throw asClientError(error);
  }
  if (file.truncated) throw tooLarge();
}

/** Register `routes` where a body is either multipart (one file) or any other type as a raw stream. */
export async function rawOrMultipartScope(
  app: FastifyInstance,
  fileSize: number,
  routes: (scope: FastifyInstance) => void,
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    await scope.register(multipart, {
      limits: { fileSize, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 30, headerPairs: 100 },
      throwFileSizeLimit: true,
    });
    routes(scope);
  });
}
