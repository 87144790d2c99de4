/**
 * StealthCloud chunk routes (PROTOCOL.md §4): `POST /api/cloud/chunks` takes a raw body or a multipart field
 * `chunk`, streamed and verified against X-Chunk-Id before anything counts as stored.
 */
import type { FastifyInstance } from 'fastify';
import type { AccountService } from '../../services/accounts/account-service.ts';
import { BadRequest, PayloadTooLarge } from '../../services/errors.ts';
import { ChunkStore, MAX_CHUNK_BYTES } from '../../services/vault/chunk-store.ts';
import { caller, requireAuth } from '../authenticate.ts';
import { declaredLength, firstFile, header, rawOrMultipartScope, untruncated } from '../streamed-bodies.ts';

const tooLarge = (): PayloadTooLarge => new PayloadTooLarge(`A chunk may not exceed ${MAX_CHUNK_BYTES} bytes`);

export async function vaultChunkRoutes(
  app: FastifyInstance,
  deps: { accounts: AccountService; chunks: ChunkStore },
): Promise<void> {
  const auth = { preHandler: requireAuth(deps.accounts) };

  await rawOrMultipartScope(app, MAX_CHUNK_BYTES, (scope) => {
    scope.post('/api/cloud/chunks', auth, async (request) => {
      const who = caller(request);
      const chunkId = ChunkStore.parseChunkId(header(request, 'x-chunk-id'));
      if ((declaredLength(request) ?? 0) > MAX_CHUNK_BYTES + 64 * 1024) throw tooLarge();
      if (request.isMultipart()) {
        const part = await firstFile(request);
        if (!part || part.fieldname !== 'chunk') throw new BadRequest('No chunk uploaded', 'NO_CHUNK');
        await deps.chunks.put(who, chunkId, untruncated(part.file, tooLarge), undefined);
      } else {
        const length = declaredLength(request);
        if (length === 0) throw new BadRequest('No chunk uploaded', 'NO_CHUNK');
        await deps.chunks.put(who, chunkId, request.raw, length);
      }
      return { chunkId, stored: true };
    });
  });

  app.get<{ Params: { chunkId: string } }>('/api/cloud/chunks/:chunkId', auth, async (request, reply) => {
    const stream = await deps.chunks.read(caller(request), request.params.chunkId);
    return reply
      .type('application/octet-stream')
      .header('cache-control', 'private, max-age=31536000, immutable')
      .send(stream);
  });
}
