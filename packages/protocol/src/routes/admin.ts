/** Administrator routes (ours). */
import { AccountIdParams, AccountList, SetQuotaRequest, SetQuotaResponse } from '../admin.ts';
import type { RouteSpec } from '../route-spec.ts';
import { ServerOverview } from '../server-overview.ts';
import { authErrors, error } from './shared.ts';

const adminOnly = { ...authErrors, 403: error('Not the administrator (ADMIN_ONLY), or an invalid token') };

export const adminRoutes: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v2/admin/accounts',
    summary: 'Every account with its usage and quota',
    tag: 'v2: admin',
    auth: true,
    responses: { 200: { description: 'Accounts', schema: AccountList }, ...adminOnly },
  },
  {
    method: 'put',
    path: '/api/v2/admin/accounts/{id}/quota',
    summary: "Set an account's StealthCloud quota (null = unlimited)",
    tag: 'v2: admin',
    auth: true,
    params: AccountIdParams,
    body: { kind: 'json', schema: SetQuotaRequest },
    responses: {
      200: { description: 'Saved', schema: SetQuotaResponse },
      404: error('Account not found'),
      ...adminOnly,
    },
  },
  {
    method: 'get',
    path: '/api/v2/admin/server',
    summary: 'Server version and storage used and free (library and StealthCloud vault)',
    tag: 'v2: admin',
    auth: true,
    responses: { 200: { description: 'Overview', schema: ServerOverview }, ...adminOnly },
  },
];
