/** Administrator routes (ours, /api/v2/admin). */
import { z } from 'zod';

export const AccountIdParams = z.object({ id: z.coerce.number().int().positive() });

export const SetQuotaRequest = z.object({
  quotaBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().describe('null = unlimited'),
});
export const SetQuotaResponse = z.object({
  ok: z.literal(true),
  id: z.number().int(),
  quotaBytes: z.number().int().nullable(),
});

export const AccountSummary = z.object({
  id: z.number().int(),
  email: z.string(),
  isAdmin: z.boolean(),
  createdAt: z.string(),
  libraryFiles: z.number().int(),
  libraryBytes: z.number().int(),
  vaultBytes: z.number().int(),
  quotaBytes: z.number().int().nullable(),
});
export const AccountList = z.object({ accounts: z.array(AccountSummary) });
