/**
 * tus 1.0 resumable uploads at /api/v2/tus, served by @tus/server on the raw request and response once our
 * checks pass: the caller is authenticated like on every route, creation input is validated (JSON errors),
 * and an upload is served only to the account that created it ([Note: upload ownership]). When the last
 * byte arrives, ResumableUploadService.finish stores the file and the answer carries X-PhotoSync-* headers.
 * Must never: parse or buffer a body here, or let tus act on an upload id other than the one authorized.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Metadata, Server, TUS_RESUMABLE } from '@tus/server';
import {
  ResumableUploadHeaders,
  ResumableUploadLength,
  ResumableUploadMetadata,
  ResumableUploadParams,
} from '@photosync/protocol';
import type { AccountService, AuthContext } from '../../services/accounts/account-service.ts';
import { BadRequest } from '../../services/errors.ts';
import type { UploadResult } from '../../services/library/library-service.ts';
import { newUploadId } from '../../services/resumable/partial-upload-store.ts';
import type { NewUpload, ResumableUploadService } from '../../services/resumable/resumable-upload-service.ts';
import { caller, requireAuth } from '../authenticate.ts';
import { mapError } from '../error-handler.ts';
import { parseInput } from '../parse.ts';
import { header, rawBodyScope } from '../streamed-bodies.ts';

export const TUS_PATH = '/api/v2/tus';
/** Headers of a finished upload, for CORS `exposedHeaders`. */
export const RESUMABLE_RESULT_HEADERS: readonly string[] = Object.values(ResumableUploadHeaders);

interface ResumableDeps {
  readonly accounts: AccountService;
  readonly resumable: ResumableUploadService;
  readonly maxUploadBytes: number;
  readonly corsOrigins: readonly string[];
}

/** What our checks established for the request tus is handling (found again in tus's hooks). */
interface TusCall {
  readonly request: FastifyRequest;
  readonly who: AuthContext | null;
  readonly uploadId?: string;
  /** Metadata to record for an upload this request creates (checked, owner included). */
  readonly record?: Record<string, string>;
  /** Set when tus is about to answer with an error we mapped to JSON (see onResponseError). */
  jsonError?: boolean;
}

function resultHeaders(result: UploadResult): Record<string, string> {
  return {
    [ResumableUploadHeaders.filename]: encodeURIComponent(result.filename),
    [ResumableUploadHeaders.duplicate]: String(result.duplicate),
    [ResumableUploadHeaders.sha256]: result.sha256,
  };
}

/** Upload-Length and Upload-Metadata of a creation request, with a specific code for each mistake. */
function parseCreation(request: FastifyRequest): NewUpload {
  if (header(request, 'upload-defer-length') !== undefined || header(request, 'upload-length') === undefined) {
    throw new BadRequest('Upload-Length is required (deferred length is not supported)', 'UPLOAD_LENGTH_REQUIRED');
  }
  const length = parseInput(
    ResumableUploadLength,
    header(request, 'upload-length'),
    undefined,
    'INVALID_UPLOAD_LENGTH',
  );
  const rawMetadata = header(request, 'upload-metadata');
  if (rawMetadata === undefined) {
    throw new BadRequest('Upload-Metadata is required, with filename and sha256 (values base64)', 'MISSING_METADATA');
  }
  let decoded: Record<string, string | null>;
  try {
    decoded = Metadata.parse(rawMetadata);
  } catch {
    throw new BadRequest(
      'Upload-Metadata must be comma-separated "key base64(value)" pairs including filename and sha256',
      'INVALID_METADATA',
    );
  }
  for (const [field, code] of [
    ['filename', 'MISSING_FILENAME'],
    ['sha256', 'MISSING_SHA256'],
  ] as const) {
    if (!decoded[field]) throw new BadRequest(`Upload-Metadata must include ${field}`, code);
  }
  const metadata = parseInput(
    ResumableUploadMetadata,
    { ...decoded, filetype: decoded['filetype'] ?? undefined },
    'Upload-Metadata sha256 must be 64 hexadecimal characters',
    'INVALID_SHA256',
  );
  return { length, metadata };
}

function tusServer(deps: ResumableDeps, calls: AsyncLocalStorage<TusCall>): Server {
  const current = (): TusCall => {
    const call = calls.getStore();
    if (!call?.who) throw new Error('tus hook outside an authenticated request');
    return call;
  };
  /** tus's server, except that an error answer we mapped to JSON says so in its Content-Type. */
  class JsonErrorServer extends Server {
    override write(...args: Parameters<Server['write']>): ReturnType<Server['write']> {
      if (calls.getStore()?.jsonError) args[1].set('content-type', 'application/json; charset=utf-8');
      return super.write(...args);
    }
  }
  return new JsonErrorServer({
    path: TUS_PATH,
    datastore: deps.resumable.datastore,
    relativeLocation: true,
    namingFunction: newUploadId,
    maxSize: deps.maxUploadBytes,
    // The id our checks authorized, never one tus would read from the URL itself.
    getFileIdFromRequest: () => calls.getStore()?.uploadId,
    allowedOrigins: (origin) => deps.corsOrigins.includes(origin),
    allowedHeaders: ['X-Device-UUID'],
    exposedHeaders: [...RESUMABLE_RESULT_HEADERS],
    onUploadCreate: async () => {
      const { record } = current();
      if (!record) throw new Error('creation without checked input');
      return { metadata: record };
    },
    // A failure that is not a tus protocol answer (those carry their own status): a full disk, an I/O error.
    // Mapped like every other error, so a full disk is a clear 507 JSON and no internal message leaks.
    onResponseError: (_req, error) => {
      if (!(error instanceof Error) || 'status_code' in error) return undefined;
      const call = calls.getStore();
      const mapped = mapError(error);
      if (mapped.status >= 500) call?.request.log.error({ err: error }, 'resumable upload request failed');
      if (call) call.jsonError = true;
      return { status_code: mapped.status, body: JSON.stringify(mapped.body) };
    },
    onUploadFinish: async (_req, upload) => {
      const { who, request } = current();
      if (!who) throw new Error('finish without a caller');
      try {
        const result = await deps.resumable.finish(who, upload.id, who.deviceId);
        return { headers: resultHeaders(result) };
      } catch (error) {
        const mapped = mapError(error);
        if (mapped.status >= 500) request.log.error({ err: error }, 'resumable upload failed to finish');
        else request.log.info({ code: mapped.body['code'] }, 'resumable upload refused');
        return {
          status_code: mapped.status,
          headers: { ...mapped.headers, 'Content-Type': 'application/json; charset=utf-8' },
          body: JSON.stringify(mapped.body),
        };
      }
    },
  });
}

export async function resumableUploadRoutes(app: FastifyInstance, deps: ResumableDeps): Promise<void> {
  const calls = new AsyncLocalStorage<TusCall>();
  const tus = tusServer(deps, calls);

  /** Our checks, before tus sees the request; they throw the usual JSON errors. */
  const check = async (request: FastifyRequest): Promise<TusCall> => {
    if (request.method === 'OPTIONS') return { request, who: null };
    const who = caller(request);
    if (request.method === 'POST') return { request, who, record: deps.resumable.prepare(who, parseCreation(request)) };
    const { id } = parseInput(ResumableUploadParams, request.params);
    return { request, who, uploadId: await deps.resumable.authorize(who, id) };
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const call = await check(request);
    reply.hijack();
    try {
      await calls.run(call, () => tus.handle(request.raw, reply.raw));
    } catch (error) {
      request.log.error({ err: error }, 'resumable upload request failed');
      if (reply.raw.headersSent) reply.raw.destroy();
      else reply.raw.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(mapError(error).body));
    }
  };

  await rawBodyScope(app, (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      reply.header('tus-resumable', TUS_RESUMABLE); // on our own (JSON) answers too, as tus requires
    });
    const auth = requireAuth(deps.accounts);
    scope.options(TUS_PATH, handle);
    scope.post(TUS_PATH, { preHandler: auth }, handle);
    scope.route({ method: ['HEAD', 'PATCH', 'DELETE'], url: `${TUS_PATH}/:id`, preHandler: auth, handler: handle });
  });
}
