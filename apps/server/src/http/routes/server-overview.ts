/** The administrator's view of the server (ours): version and storage used and free per store. */
import type { FastifyInstance } from 'fastify';
import type { AccountService } from '../../services/accounts/account-service.ts';
import { serverOverview, type ServerOverviewDeps } from '../../services/server-info/server-overview.ts';
import { caller, requireAuth } from '../authenticate.ts';

export function serverOverviewRoutes(
  app: FastifyInstance,
  deps: ServerOverviewDeps & { readonly accounts: AccountService },
): void {
  app.get('/api/v2/admin/server', { preHandler: requireAuth(deps.accounts) }, async (request) =>
    serverOverview(deps, caller(request)),
  );
}
