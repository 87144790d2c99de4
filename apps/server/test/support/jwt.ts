/**
 * Helpers for the auth tests: read a token's payload, re-encode JWT segments by hand, and sign tokens with a
 * chosen key and expiry (jose), using claims that match a real account in the server's database.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { Session, TestServer } from './test-server.ts';

export interface Claims {
  readonly id: number;
  readonly user_uuid: string;
  readonly email: string;
  readonly device_uuid: string;
  readonly tv: number;
}

export function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The payload of a JWT, decoded without verifying anything. */
export function decodePayload(token: string): Record<string, unknown> {
  const segment = token.split('.')[1];
  if (segment === undefined) throw new Error(`not a JWT: ${token}`);
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The claims the server would put in a fresh token for this session, read from the database. */
export async function claimsOf(server: TestServer, session: Session): Promise<Claims> {
  const account = await server.context.db
    .selectFrom('accounts')
    .select(['id', 'uuid', 'email', 'token_version'])
    .where('id', '=', session.userId)
    .executeTakeFirstOrThrow();
  return {
    id: account.id,
    user_uuid: account.uuid,
    email: account.email,
    device_uuid: session.deviceUuid,
    tv: account.token_version,
  };
}

/** HS256-sign `claims` with `secret`, valid until `expiresAt` (seconds since the epoch). */
export function signToken(secret: string | Uint8Array, claims: Claims, expiresAt: number): Promise<string> {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(expiresAt - 3600)
    .setExpirationTime(expiresAt)
    .sign(key);
}

/** The secret the server generated in its data directory. */
export async function storedSecret(dataDir: string): Promise<string> {
  return (await readFile(join(dataDir, 'jwt-secret'), 'utf8')).trim();
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Headers that present `token` for `deviceUuid`. */
export function bearer(token: string, deviceUuid: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'x-device-uuid': deviceUuid };
}
