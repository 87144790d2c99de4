/** Our library additions under /api/v2 (documented in OpenAPI): delete one file, totals, bulk "have". */
import type { FastifyInstance } from 'fastify';
import { FilenameParams, HaveFilesRequest } from '@photosync/protocol';
import type { AccountService } from '../../services/accounts/account-service.ts';
import type { LibraryService } from '../../services/library/library-service.ts';
import { caller, requireAuth } from '../authenticate.ts';
import { parseInput } from '../parse.ts';

export function libraryV2Routes(
  app: FastifyInstance,
  deps: { accounts: AccountService; library: LibraryService },
): void {
  const auth = { preHandler: requireAuth(deps.accounts) };

  app.delete('/api/v2/files/:filename', auth, async (request) => {
    const { filename } = parseInput(FilenameParams, request.params);
    await deps.library.remove(caller(request), filename);
    return { deleted: true, filename };
  });

  app.get('/api/v2/library/stats', auth, async (request) => deps.library.stats(caller(request)));

  app.post('/api/v2/library/have', auth, async (request) => {
    const { sha256s } = parseInput(HaveFilesRequest, request.body);
    return deps.library.have(caller(request), sha256s);
  });
}
