/** Administrator routes under /api/v2/admin: account list with usage, StealthCloud quotas. */
import type { FastifyInstance } from 'fastify';
import { AccountIdParams, SetQuotaRequest } from '@photosync/protocol';
import type { AccountService } from '../../services/accounts/account-service.ts';
import type { AdminService } from '../../services/accounts/admin-service.ts';
import { caller, requireAuth } from '../authenticate.ts';
import { parseInput } from '../parse.ts';

export function adminRoutes(app: FastifyInstance, deps: { accounts: AccountService; admin: AdminService }): void {
  const auth = { preHandler: requireAuth(deps.accounts) };

  app.get('/api/v2/admin/accounts', auth, async (request) => ({
    accounts: await deps.admin.listAccounts(caller(request)),
  }));

  app.put('/api/v2/admin/accounts/:id/quota', auth, async (request) => {
    const { id } = parseInput(AccountIdParams, request.params);
    const { quotaBytes } = parseInput(SetQuotaRequest, request.body);
    await deps.admin.setQuota(caller(request), id, quotaBytes);
    return { ok: true, id, quotaBytes };
  });
}
