/**
 * Where an upload arrives: `POST /api/upload` (multipart field `file`) and `POST /api/upload/raw`
 * (body = bytes, name in X-Filename). Both stream the body straight into LibraryService.upload — nothing is
 * buffered — and answer only after it returns (bytes and index row durable). See [Note: upload commit order].
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Sha256Hex } from '@photosync/protocol';
import type { AccountService } from '../../services/accounts/account-service.ts';
import { BadRequest, PayloadTooLarge } from '../../services/errors.ts';
import { decodeHeaderFileName } from '../../services/library/file-name.ts';
import type { LibraryService, UploadResult } from '../../services/library/library-service.ts';
import { caller, requireAuth } from '../authenticate.ts';
import { parseInput } from '../parse.ts';
import { declaredLength, firstFile, header, multipartScope, rawBodyScope, untruncated } from '../streamed-bodies.ts';

function expectedSha256(request: FastifyRequest): string | undefined {
  const value = header(request, 'x-content-sha256');
  return value === undefined
    ? undefined
    : parseInput(Sha256Hex, value, 'X-Content-SHA256 must be 64 hexadecimal characters', 'INVALID_SHA256');
}

function reply(result: UploadResult): Record<string, unknown> {
  const base = { filename: result.filename, sha256: result.sha256, size: result.size };
  return result.duplicate
    ? { message: 'File already exists (duplicate)', ...base, duplicate: true }
    : { message: 'File uploaded', ...base };
}

function tooLarge(maxBytes: number): PayloadTooLarge {
  return new PayloadTooLarge(`File is larger than the server's limit of ${maxBytes} bytes`);
}

interface UploadDeps {
  readonly accounts: AccountService;
  readonly library: LibraryService;
  readonly maxUploadBytes: number;
}

export async function uploadRoutes(app: FastifyInstance, deps: UploadDeps): Promise<void> {
  await multipartScope(app, deps.maxUploadBytes, (scope) => multipartUploadRoute(scope, deps));
  await rawBodyScope(app, (scope) => rawUploadRoute(scope, deps));
}

function multipartUploadRoute(app: FastifyInstance, { accounts, library, maxUploadBytes }: UploadDeps): void {
  app.post('/api/upload', { preHandler: requireAuth(accounts) }, async (request) => {
    const who = caller(request);
    const expected = expectedSha256(request);
    if (!request.isMultipart()) throw new BadRequest('No file uploaded', 'NO_FILE');
    const part = await firstFile(request);
    if (!part || part.fieldname !== 'file') throw new BadRequest('No file uploaded', 'NO_FILE');
    const result = await library.upload(who, {
      filename: part.filename,
      mediaType: part.mimetype,
      body: untruncated(part.file, () => tooLarge(maxUploadBytes)),
      expectedSha256: expected,
      deviceId: who.deviceId,
    });
    return reply(result);
  });
}

function rawUploadRoute(app: FastifyInstance, { accounts, library, maxUploadBytes }: UploadDeps): void {
  app.post('/api/upload/raw', { preHandler: requireAuth(accounts) }, async (request) => {
    const who = caller(request);
    const expected = expectedSha256(request);
    const rawName = header(request, 'x-filename') ?? header(request, 'x-file-name');
    if (!rawName) throw new BadRequest('Missing x-filename header', 'MISSING_FILENAME');
    if ((declaredLength(request) ?? 0) > maxUploadBytes) throw tooLarge(maxUploadBytes);
    const result = await library.upload(who, {
      filename: decodeHeaderFileName(rawName),
      mediaType: header(request, 'content-type'),
      body: request.raw,
      expectedSha256: expected,
      deviceId: who.deviceId,
    });
    return reply(result);
  });
}
