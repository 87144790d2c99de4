/**
 * Accounts: register, sign in, reset a password from the registered device, delete, and authenticate a
 * request. Plain data in and out; throws DomainErrors. Storage paths always come from `account.uuid`, which
 * is random at registration and never taken from a request.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { BlobStore } from '@photosync/storage';
import { isUniqueViolation } from '../../db/database.ts';
import type { AccountRepository } from '../../repositories/account-repository.ts';
import { BadRequest, Conflict, Forbidden, Unauthenticated } from '../errors.ts';
import { legacyDeviceUuid } from './device-uuid.ts';
import { MIN_PASSWORD_LENGTH, type PasswordHasher } from './password-hasher.ts';
import type { MediaTicket, MediaTicketService } from './media-tickets.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { TokenClaims, TokenService } from './token-service.ts';

/** Who is calling: derived from a verified token, never from headers alone. */
export interface AuthContext {
  readonly accountId: number;
  readonly accountUuid: string;
  readonly email: string;
  readonly deviceUuid: string;
  /** The devices row of the signed-in device. */
  readonly deviceId: number;
  readonly isAdmin: boolean;
}

export interface AccountServiceDeps {
  readonly accounts: AccountRepository;
  /** Every store holding account data (library files, vault chunks): deletion empties the account's prefix in each. */
  readonly stores: readonly BlobStore[];
  readonly hasher: PasswordHasher;
  readonly tokens: TokenService;
  /** Read-only media URLs for the web app (see media-tickets.ts); absent → tickets are refused. */
  readonly mediaTickets?: MediaTicketService;
  readonly limiter: RateLimiter;
  readonly policy: { readonly registration: 'open' | 'closed'; readonly perAddress: number; readonly perEmail: number };
  readonly now?: () => Date;
}

export interface Session {
  readonly token: string;
  readonly userId: number;
}

/** A device's `last_seen` is refreshed at most this often, so authenticating rarely writes. */
const LAST_SEEN_RESOLUTION_MS = 10 * 60_000;

function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new BadRequest(`Password must be at least ${MIN_PASSWORD_LENGTH} characters long`, 'WEAK_PASSWORD');
  }
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class AccountService {
  private dummyHash: Promise<string> | undefined;
  private readonly now: () => Date;

  constructor(private readonly deps: AccountServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async register(input: {
    email: string;
    password: string;
    deviceUuid: string | undefined;
    hardwareDeviceId: string | undefined;
    clientAddress: string;
  }): Promise<Session> {
    const { accounts, limiter, policy } = this.deps;
    limiter.hit(`register:${input.clientAddress}`, policy.perAddress);
    if (policy.registration === 'closed' && (await accounts.hasAny())) {
      throw new Forbidden(
        'Registration is closed on this server. Ask the administrator for an account.',
        'REGISTRATION_CLOSED',
      );
    }
    checkNewPassword(input.password);
    const at = this.now().toISOString();
    let account;
    try {
      account = await accounts.create({
        uuid: randomUUID(),
        email: input.email,
        password_hash: await this.deps.hasher.hash(input.password),
        token_version: 0,
        quota_bytes: null,
        hardware_device_id: input.hardwareDeviceId ?? null,
        asset_count: 0,
        asset_bytes: 0,
        created_at: at,
        deleted_at: null,
      });
    } catch (error) {
      if (isUniqueViolation(error, 'email')) throw new Conflict('Email already exists', 'EMAIL_EXISTS');
      throw error;
    }
    const deviceUuid = input.deviceUuid ?? legacyDeviceUuid(input.email, input.password);
    const device = await accounts.touchDevice(account.id, deviceUuid, undefined, at);
    return { token: await this.issue(account, device), userId: account.id };
  }

  async login(input: {
    email: string;
    password: string;
    deviceUuid: string;
    deviceName: string | undefined;
    clientAddress: string;
  }): Promise<Session> {
    const { accounts, limiter, policy, hasher } = this.deps;
    limiter.hit(`login:${input.clientAddress}`, policy.perAddress);
    limiter.hit(`login-email:${input.email}`, policy.perEmail);
    const account = await accounts.findByEmail(input.email);
    if (!account || account.deleted_at !== null) {
      await hasher.verify(await this.fakeHash(), input.password);
      throw new Unauthenticated('Invalid credentials', 'INVALID_CREDENTIALS');
    }
    if (!(await hasher.verify(account.password_hash, input.password))) {
      throw new Unauthenticated('Invalid credentials', 'INVALID_CREDENTIALS');
    }
    return this.signInDevice(account, input.deviceUuid, input.deviceName);
  }

  /**
   * Record the device's sign-in and issue its token. Callers have already proven who they are (a password,
   * a pairing code); a device revoked earlier becomes active again with a new token version.
   */
  async signInDevice(
    account: { id: number; uuid: string; email: string; token_version: number },
    deviceUuid: string,
    deviceName: string | undefined,
  ): Promise<Session> {
    const device = await this.deps.accounts.touchDevice(account.id, deviceUuid, deviceName, this.now().toISOString());
    return { token: await this.issue(account, device), userId: account.id };
  }

  async resetPasswordFromDevice(input: {
    email: string;
    hardwareDeviceId: string;
    newPassword: string;
    clientAddress: string;
  }): Promise<void> {
    const { accounts, limiter, policy, hasher } = this.deps;
    limiter.hit(`reset:${input.clientAddress}`, policy.perAddress);
    limiter.hit(`reset-email:${input.email}`, policy.perEmail);
    checkNewPassword(input.newPassword);
    const account = await accounts.findByEmail(input.email);
    if (account && account.deleted_at === null && account.hardware_device_id === null) {
      throw new Forbidden('No device is registered for password reset on this account', 'RESET_NOT_ALLOWED', {
        hint: 'no_hardware_id_stored',
      });
    }
    if (
      !account ||
      account.deleted_at !== null ||
      !sameSecret(account.hardware_device_id ?? '', input.hardwareDeviceId)
    ) {
      throw new Forbidden('This device is not the one registered for password reset', 'RESET_NOT_ALLOWED', {
        hint: 'device_mismatch',
      });
    }
    await accounts.setPassword(account.id, await hasher.hash(input.newPassword));
  }

  /** Remove the account with every stored file and row; its tokens stop working at the first step. */
  async deleteAccount(accountId: number): Promise<void> {
    const { accounts } = this.deps;
    const account = await accounts.findById(accountId);
    if (!account) return;
    await accounts.markDeleted(account.id, this.now().toISOString());
    await this.finishDeletion(account.id, account.uuid);
  }

  /** Also called at start-up for deletions a crash interrupted. */
  async finishDeletion(accountId: number, accountUuid: string): Promise<void> {
    for (const store of this.deps.stores) await store.deletePrefix(accountUuid);
    await this.deps.accounts.remove(accountId);
  }

  /** Check the compatibility auth headers; the order of checks and statuses follow PROTOCOL.md §1. */
  async authenticate(authorization: string | undefined, deviceHeader: string | undefined): Promise<AuthContext> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new Unauthenticated('Access denied', 'NO_TOKEN');
    if (!deviceHeader) throw new BadRequest('Device UUID required', 'DEVICE_UUID_REQUIRED');
    const claims = await this.deps.tokens.verify(token);
    const who = claims ? await this.currentHolder(claims) : undefined;
    if (!claims || !who) throw new Forbidden('Invalid or expired token', 'INVALID_TOKEN');
    if (deviceHeader !== claims.device_uuid) {
      throw new Forbidden('This token belongs to another device', 'DEVICE_MISMATCH');
    }
    return who;
  }

  /** A short-lived, read-only ticket for media URLs, bound to the caller's account and device. */
  async issueMediaTicket(who: AuthContext): Promise<MediaTicket> {
    const account = await this.deps.accounts.findById(who.accountId);
    const device = await this.deps.accounts.findDevice(who.accountId, who.deviceUuid);
    if (!this.deps.mediaTickets || !account || !device)
      throw new Forbidden('Invalid or expired token', 'INVALID_TOKEN');
    return this.deps.mediaTickets.issue({
      id: account.id,
      user_uuid: account.uuid,
      device_uuid: device.device_uuid,
      tv: account.token_version,
      dv: device.token_version,
    });
  }

  /** Who a media ticket speaks for; revoked like the session it came from (password change, device revoke). */
  async authenticateMediaTicket(ticket: string): Promise<AuthContext> {
    const claims = await this.deps.mediaTickets?.verify(ticket);
    const who = claims ? await this.currentHolder(claims) : undefined;
    if (!who) throw new Forbidden('Invalid or expired media ticket', 'INVALID_TICKET');
    return who;
  }

  /** The caller named by verified claims, if the account, its token version and the device's still match. */
  private async currentHolder(claims: Omit<TokenClaims, 'email'>): Promise<AuthContext | undefined> {
    const account = await this.deps.accounts.findById(claims.id);
    if (!account || account.token_version !== claims.tv || account.uuid !== claims.user_uuid) return undefined;
    const device = await this.deps.accounts.findDevice(account.id, claims.device_uuid);
    if (!device || device.token_version !== claims.dv) return undefined;
    const at = this.now();
    if (at.getTime() - Date.parse(device.last_seen) > LAST_SEEN_RESOLUTION_MS) {
      await this.deps.accounts.markDeviceSeen(device.id, at.toISOString());
    }
    return {
      accountId: account.id,
      accountUuid: account.uuid,
      email: account.email,
      deviceUuid: claims.device_uuid,
      deviceId: device.id,
      isAdmin: account.is_admin === 1,
    };
  }

  private issue(
    account: { id: number; uuid: string; email: string; token_version: number },
    device: { device_uuid: string; token_version: number },
  ): Promise<string> {
    return this.deps.tokens.issue({
      id: account.id,
      user_uuid: account.uuid,
      email: account.email,
      device_uuid: device.device_uuid,
      tv: account.token_version,
      dv: device.token_version,
    });
  }

  private fakeHash(): Promise<string> {
    this.dummyHash ??= this.deps.hasher.hash(randomUUID());
    return this.dummyHash;
  }
}
