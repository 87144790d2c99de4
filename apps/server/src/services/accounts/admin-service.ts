/** What only the administrator (the first account) may do: see every account and set storage quotas. */
import type { AccountRepository } from '../../repositories/account-repository.ts';
import type { AuthContext } from './account-service.ts';
import { Forbidden, NotFound } from '../errors.ts';

export interface AccountSummary {
  readonly id: number;
  readonly email: string;
  readonly isAdmin: boolean;
  readonly createdAt: string;
  readonly libraryFiles: number;
  readonly libraryBytes: number;
  readonly vaultBytes: number;
  readonly quotaBytes: number | null;
}

export class AdminService {
  constructor(private readonly accounts: AccountRepository) {}

  async listAccounts(who: AuthContext): Promise<AccountSummary[]> {
    requireAdmin(who);
    const rows = await this.accounts.listActive();
    return rows.map((row) => ({
      id: row.id,
      email: row.email,
      isAdmin: row.is_admin === 1,
      createdAt: row.created_at,
      libraryFiles: row.asset_count,
      libraryBytes: Number(row.asset_bytes),
      vaultBytes: Number(row.vault_bytes),
      quotaBytes: row.quota_bytes === null ? null : Number(row.quota_bytes),
    }));
  }

  /** Quota applies to StealthCloud usage; null means unlimited (the default). */
  async setQuota(who: AuthContext, accountId: number, quotaBytes: number | null): Promise<void> {
    requireAdmin(who);
    if (!(await this.accounts.setQuota(accountId, quotaBytes))) throw new NotFound('Account not found');
  }
}

function requireAdmin(who: AuthContext): void {
  if (!who.isAdmin) throw new Forbidden('Only the administrator can do this', 'ADMIN_ONLY');
}
