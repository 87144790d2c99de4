/** `GET /api/v2/server/status`: version, uptime, LAN addresses and the update check, for any signed-in account. */
import type { FastifyInstance } from 'fastify';
import type { AccountService } from '../../services/accounts/account-service.ts';
import type { ServerStatusService } from '../../services/status/server-status.ts';
import { requireAuth } from '../authenticate.ts';

export function serverStatusRoutes(
  app: FastifyInstance,
  deps: { accounts: AccountService; status: ServerStatusService },
): void {
  app.get('/api/v2/server/status', { preHandler: requireAuth(deps.accounts) }, async (request) => {
    const address = request.server.server.address();
    return deps.status.read(typeof address === 'object' && address ? address.port : 0);
  });
}
