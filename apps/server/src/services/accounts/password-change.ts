/**
 * Changing the password of a signed-in account: the current password must be right, every other session is
 * signed out (the account's token version moves on), and the device asking gets a fresh token.
 * Attempts are rate limited per account, because a stolen token would otherwise allow guessing the password.
 */
import type { AccountRepository } from '../../repositories/account-repository.ts';
import { BadRequest, Forbidden } from '../errors.ts';
import type { AccountService, AuthContext, Session } from './account-service.ts';
import { MIN_PASSWORD_LENGTH, type PasswordHasher } from './password-hasher.ts';
import type { RateLimiter } from './rate-limiter.ts';

export interface PasswordChangeDeps {
  readonly accounts: AccountRepository;
  readonly accountService: AccountService;
  readonly hasher: PasswordHasher;
  readonly limiter: RateLimiter;
  /** Attempts per account per rate-limit window (the per-email sign-in limit). */
  readonly maxAttempts: number;
}

export class PasswordChangeService {
  constructor(private readonly deps: PasswordChangeDeps) {}

  async change(who: AuthContext, currentPassword: string, newPassword: string): Promise<Session> {
    const { accounts, hasher, limiter } = this.deps;
    limiter.hit(`password-change:${who.accountId}`, this.deps.maxAttempts);
    if (newPassword.length < MIN_PASSWORD_LENGTH) {
      throw new BadRequest(`Password must be at least ${MIN_PASSWORD_LENGTH} characters long`, 'WEAK_PASSWORD');
    }
    const account = await accounts.findById(who.accountId);
    if (!account) throw new Forbidden('Invalid or expired token', 'INVALID_TOKEN');
    if (!(await hasher.verify(account.password_hash, currentPassword))) {
      throw new BadRequest('The current password is not correct', 'WRONG_PASSWORD');
    }
    await accounts.setPassword(account.id, await hasher.hash(newPassword));
    const changed = await accounts.findById(account.id);
    if (!changed) throw new Forbidden('Invalid or expired token', 'INVALID_TOKEN');
    return this.deps.accountService.signInDevice(changed, who.deviceUuid, undefined);
  }
}
