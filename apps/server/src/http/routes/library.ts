/** Compatibility library routes (PROTOCOL.md §3) other than uploads: list, download, purge. */
import type { FastifyInstance } from 'fastify';
import { FilenameParams, PageQuery } from '@photosync/protocol';
import type { AccountService } from '../../services/accounts/account-service.ts';
import { RangeNotSatisfiable } from '../../services/errors.ts';
import type { LibraryService } from '../../services/library/library-service.ts';
import { caller, requireAuth } from '../authenticate.ts';
import { contentDisposition, decideRange, etagOf, notModified, rangeStillValid } from '../byte-range.ts';
import { parseInput } from '../parse.ts';

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function libraryRoutes(app: FastifyInstance, deps: { accounts: AccountService; library: LibraryService }): void {
  const { accounts, library } = deps;
  const auth = { preHandler: requireAuth(accounts) };

  app.get('/api/files', auth, async (request) => {
    const { offset = 0, limit = 0 } = parseInput(PageQuery, request.query);
    const { files, total } = await library.list(caller(request), offset, limit === 0 ? undefined : limit);
    return { files, total };
  });

  app.get('/api/files/:filename', auth, async (request, reply) => {
    const who = caller(request);
    const { filename } = parseInput(FilenameParams, request.params);
    const asset = await library.find(who, filename);
    const etag = etagOf(asset.sha256);
    reply.headers({
      etag,
      'accept-ranges': 'bytes',
      'cache-control': 'private, no-cache',
      'last-modified': new Date(asset.created_at).toUTCString(),
      'x-content-type-options': 'nosniff',
    });
    if (notModified(request.headers['if-none-match'], etag)) return reply.status(304).send();
    const decision = rangeStillValid(firstHeader(request.headers['if-range']), etag)
      ? decideRange(request.headers.range, asset.size)
      : ({ kind: 'full' } as const);
    if (decision.kind === 'unsatisfiable') throw new RangeNotSatisfiable(asset.size);
    reply.type(asset.mime).header('content-disposition', contentDisposition(asset.filename));
    if (decision.kind === 'partial') {
      const { start, end } = decision.range;
      reply
        .status(206)
        .headers({ 'content-range': `bytes ${start}-${end}/${asset.size}`, 'content-length': end - start + 1 });
      return reply.send(await library.read(who, asset, decision.range));
    }
    reply.header('content-length', asset.size);
    return reply.send(asset.size === 0 ? '' : await library.read(who, asset));
  });

  app.post('/api/files/purge', auth, async (request) => {
    const files = await library.purge(caller(request));
    return { ok: true, deleted: { files } };
  });
}
