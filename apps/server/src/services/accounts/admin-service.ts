/**
 * What only an administrator may do: list accounts, create them, reset passwords, set StealthCloud quotas,
 * delete accounts. The actor is either the administrator account over HTTP or the local operator
 * (`photosync user ...` on the server's data dir, which already has full access to the files).
 */
import { randomUUID } from 'node:crypto';
import type { Account } from '../../db/schema.ts';
import { isUniqueViolation } from '../../db/database.ts';
import type { AccountRepository } from '../../repositories/account-repository.ts';
import { BadRequest, Conflict, Forbidden, NotFound } from '../errors.ts';
import type { AccountService, AuthContext } from './account-service.ts';
import { MIN_PASSWORD_LENGTH, type PasswordHasher } from './password-hasher.ts';

/** The person at the server's console (the CLI on the data dir). */
export const LOCAL_OPERATOR = { kind: 'local-operator' } as const;
export type Actor = AuthContext | typeof LOCAL_OPERATOR;

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

export interface AdminServiceDeps {
  readonly accounts: AccountRepository;
  readonly accountService: AccountService;
  readonly hasher: PasswordHasher;
}

function requireAdmin(actor: Actor): void {
  if ('kind' in actor) return;
  if (!actor.isAdmin) throw new Forbidden('Only the administrator can do this', 'ADMIN_ONLY');
}

function summary(row: Account): AccountSummary {
  return {
    id: row.id,
    email: row.email,
    isAdmin: row.is_admin === 1,
    createdAt: row.created_at,
    libraryFiles: row.asset_count,
    libraryBytes: Number(row.asset_bytes),
    vaultBytes: Number(row.vault_bytes),
    quotaBytes: row.quota_bytes === null ? null : Number(row.quota_bytes),
  };
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new BadRequest(`Password must be at least ${MIN_PASSWORD_LENGTH} characters long`, 'WEAK_PASSWORD');
  }
}

export class AdminService {
  constructor(private readonly deps: AdminServiceDeps) {}

  async listAccounts(actor: Actor): Promise<AccountSummary[]> {
    requireAdmin(actor);
    return (await this.deps.accounts.listActive()).map(summary);
  }

  async findByEmail(actor: Actor, email: string): Promise<AccountSummary> {
    requireAdmin(actor);
    const row = await this.deps.accounts.findByEmail(email.trim().toLowerCase());
    if (!row || row.deleted_at !== null) throw new NotFound(`No account for ${email}`);
    return summary(row);
  }

  /** Create an account regardless of the registration setting; the first account is admin anyway. */
  async createAccount(
    actor: Actor,
    input: { email: string; password: string; admin: boolean },
  ): Promise<AccountSummary> {
    requireAdmin(actor);
    checkPassword(input.password);
    let row: Account;
    try {
      row = await this.deps.accounts.create({
        uuid: randomUUID(),
        email: input.email.trim().toLowerCase(),
        password_hash: await this.deps.hasher.hash(input.password),
        token_version: 0,
        quota_bytes: null,
        hardware_device_id: null,
        asset_count: 0,
        asset_bytes: 0,
        created_at: new Date().toISOString(),
        deleted_at: null,
      });
    } catch (error) {
      if (isUniqueViolation(error, 'email')) throw new Conflict('Email already exists', 'EMAIL_EXISTS');
      throw error;
    }
    if (input.admin && row.is_admin !== 1) await this.deps.accounts.setAdmin(row.id, true);
    return { ...summary(row), isAdmin: input.admin || row.is_admin === 1 };
  }

  /** Set a new password; every session of the account is signed out. */
  async setPassword(actor: Actor, accountId: number, password: string): Promise<void> {
    requireAdmin(actor);
    checkPassword(password);
    if (!(await this.deps.accounts.findById(accountId))) throw new NotFound('Account not found');
    await this.deps.accounts.setPassword(accountId, await this.deps.hasher.hash(password));
  }

  /** Quota applies to StealthCloud usage; null means unlimited (the default). */
  async setQuota(actor: Actor, accountId: number, quotaBytes: number | null): Promise<void> {
    requireAdmin(actor);
    if (!(await this.deps.accounts.setQuota(accountId, quotaBytes))) throw new NotFound('Account not found');
  }

  async deleteAccount(actor: Actor, accountId: number): Promise<void> {
    requireAdmin(actor);
    if (!(await this.deps.accounts.findById(accountId))) throw new NotFound('Account not found');
    await this.deps.accountService.deleteAccount(accountId);
  }
}
