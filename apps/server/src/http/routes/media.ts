/**
 * Media routes under /api/v2 (documented in OpenAPI): timeline, month buckets, per-file metadata, thumbnail
 * and preview images, and the media tools the server found. Parse, call the media service, shape the reply.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FilenameParams, ThumbnailQuery, TimelineQuery } from '@photosync/protocol';
import type { AccountService } from '../../services/accounts/account-service.ts';
import type { MediaService } from '../../services/media/media-service.ts';
import type { ThumbnailVariant } from '../../services/media/thumbnail-store.ts';
import { caller, requireAuth } from '../authenticate.ts';
import { notModified } from '../byte-range.ts';
import { parseInput } from '../parse.ts';

/** A thumbnail's URL may carry `?v=<sha256>`; its bytes for a given ETag never change. */
const IMMUTABLE = 'private, max-age=31536000, immutable';

export function mediaRoutes(app: FastifyInstance, deps: { accounts: AccountService; media: MediaService }): void {
  const { media } = deps;
  const auth = { preHandler: requireAuth(deps.accounts) };

  app.get('/api/v2/timeline', auth, async (request) => {
    const { cursor, limit } = parseInput(TimelineQuery, request.query);
    return media.timeline(caller(request), cursor, limit);
  });

  app.get('/api/v2/timeline/months', auth, async (request) => media.months(caller(request)));

  app.get('/api/v2/files/:filename/metadata', auth, async (request) => {
    const { filename } = parseInput(FilenameParams, request.params);
    return media.metadata(caller(request), filename);
  });

  const image = (variant: ThumbnailVariant) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { filename } = parseInput(FilenameParams, request.params);
    parseInput(ThumbnailQuery, request.query);
    const view = await media.thumbnail(caller(request), filename, variant);
    reply.headers({ etag: view.etag, 'x-content-type-options': 'nosniff' });
    if (view.kind === 'placeholder') {
      // Not immutable: the real poster frame replaces it once ffmpeg is installed.
      reply.headers({ 'cache-control': 'private, no-cache', 'x-thumbnail-placeholder': 'ffmpeg-missing' });
    } else {
      reply.header('cache-control', IMMUTABLE);
    }
    if (notModified(request.headers['if-none-match'], view.etag)) return reply.status(304).send();
    reply.type('image/webp');
    if (view.kind === 'placeholder') return reply.send(view.bytes);
    reply.header('content-length', view.size);
    return reply.send(await view.open());
  };
  app.get('/api/v2/files/:filename/thumbnail', auth, image('grid'));
  app.get('/api/v2/files/:filename/preview', auth, image('preview'));

  app.get('/api/v2/server/media-tools', auth, async () => media.tools());
}
