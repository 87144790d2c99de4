/** StealthCloud manifest routes (PROTOCOL.md §4) and `DELETE /api/v2/vault/manifests/:id`. */
import type { FastifyInstance } from 'fastify';
import { ManifestId, PageQuery, PutManifestRequest } from '@photosync/protocol';
import type { AccountService } from '../../services/accounts/account-service.ts';
import type { ManifestStore } from '../../services/vault/manifest-store.ts';
import { caller, requireAuth } from '../authenticate.ts';
import { parseInput } from '../parse.ts';

/** A 20 GB video has ~10,000 chunks; its manifest is a few MB. Far beyond that is not a manifest. */
const MANIFEST_BODY_LIMIT = 64 * 1024 * 1024;

export function vaultManifestRoutes(
  app: FastifyInstance,
  deps: { accounts: AccountService; manifests: ManifestStore },
): void {
  const auth = { preHandler: requireAuth(deps.accounts) };
  const idOf = (params: unknown): string =>
    parseInput(ManifestId, (params as { id?: unknown }).id, 'Invalid manifest id', 'INVALID_MANIFEST_ID');

  app.post('/api/cloud/manifests', { ...auth, bodyLimit: MANIFEST_BODY_LIMIT }, async (request) => {
    const body = parseInput(PutManifestRequest, request.body);
    const inserted = await deps.manifests.put(caller(request), {
      manifestId: body.manifestId,
      encryptedManifest: body.encryptedManifest,
      chunkCount: body.chunkCount,
      chunkIds: body.chunkIds,
    });
    return inserted
      ? { ok: true, manifestId: body.manifestId }
      : { ok: true, manifestId: body.manifestId, skipped: true, reason: 'manifestId' };
  });

  app.get('/api/cloud/manifests', auth, async (request, reply) => {
    const { offset = 0, limit = 0 } = parseInput(PageQuery, request.query);
    reply.header('cache-control', 'no-store');
    return deps.manifests.list(caller(request), offset, limit === 0 ? undefined : limit);
  });

  app.get('/api/cloud/manifests/:id', auth, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return deps.manifests.get(caller(request), idOf(request.params));
  });

  app.delete('/api/v2/vault/manifests/:id', auth, async (request) => {
    const manifestId = idOf(request.params);
    await deps.manifests.remove(caller(request), manifestId);
    return { deleted: true, manifestId };
  });
}
