/**
 * Phone pairing: a signed-in person (the web app's admin page, the CLI) creates a one-time code; a phone
 * that scans it exchanges it for a session of that account, bound to the phone's device uuid, without the
 * password ever being typed on the phone.
 * [Note: pairing codes] A code is 10 random Crockford base32 characters (50 bits), shown as XXXXX-XXXXX,
 * valid for 5 minutes and exactly once. Only its SHA-256 is stored: the codes are random enough that a fast
 * hash is safe, and a database leak does not reveal a live code. Redemption marks the code used in the same
 * statement that checks it, and is rate limited per client address like sign-in.
 * Must never store a code in clear, nor sign in to any account but the one that created the code.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AccountRepository } from '../../repositories/account-repository.ts';
import type { PairingCodeRepository } from '../../repositories/pairing-code-repository.ts';
import type { AccountService, AuthContext, Session } from '../accounts/account-service.ts';
import type { RateLimiter } from '../accounts/rate-limiter.ts';
import { Unauthenticated } from '../errors.ts';

export const PAIRING_CODE_TTL_MS = 5 * 60_000;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 10;

export interface PairingCode {
  /** Shown to the person and put in the QR code, e.g. `7KQ2M-XW9FD`. */
  readonly code: string;
  readonly expiresAt: string;
}

export interface PairingServiceDeps {
  readonly codes: PairingCodeRepository;
  readonly accounts: AccountRepository;
  readonly accountService: AccountService;
  readonly limiter: RateLimiter;
  readonly perAddress: number;
  readonly now?: () => Date;
}

/** Upper-case, drop separators and spaces, read the look-alikes Crockford allows (O→0, I/L→1). */
export function normalizePairingCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

function hashCode(code: string): string {
  return createHash('sha256').update(normalizePairingCode(code)).digest('hex');
}

function newCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  const chars = Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length] ?? '0').join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export class PairingService {
  private readonly now: () => Date;

  constructor(private readonly deps: PairingServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** A new one-time code for the caller's account. */
  async createCode(who: AuthContext): Promise<PairingCode> {
    const now = this.now();
    await this.deps.codes.removeExpired(now.toISOString());
    const code = newCode();
    const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS).toISOString();
    await this.deps.codes.insert({
      accountId: who.accountId,
      codeHash: hashCode(code),
      createdAt: now.toISOString(),
      expiresAt,
    });
    return { code, expiresAt };
  }

  /** Exchange a code, once, for a session of its account bound to `deviceUuid`. */
  async redeem(input: {
    code: string;
    deviceUuid: string;
    deviceName: string | undefined;
    clientAddress: string;
  }): Promise<Session & { email: string }> {
    this.deps.limiter.hit(`pair:${input.clientAddress}`, this.deps.perAddress);
    const codeHash = hashCode(input.code);
    const at = this.now().toISOString();
    const accountId = await this.deps.codes.claim(codeHash, at);
    if (accountId === undefined) throw await this.refusal(codeHash);
    const account = await this.deps.accounts.findById(accountId);
    if (!account) throw new Unauthenticated('This pairing code is not valid', 'INVALID_PAIRING_CODE');
    const session = await this.deps.accountService.signInDevice(account, input.deviceUuid, input.deviceName);
    return { ...session, email: account.email };
  }

  /** Why a code could not be claimed, for a message the person can act on. */
  private async refusal(codeHash: string): Promise<Unauthenticated> {
    const row = await this.deps.codes.find(codeHash);
    if (row?.usedAt) {
      return new Unauthenticated('This pairing code was already used. Create a new one.', 'PAIRING_CODE_USED');
    }
    if (row) return new Unauthenticated('This pairing code has expired. Create a new one.', 'PAIRING_CODE_EXPIRED');
    return new Unauthenticated('This pairing code is not valid', 'INVALID_PAIRING_CODE');
  }
}
