/**
 * Session tokens: HS256 JWTs (jose) bound to one device, valid 30 days.
 * Payload keeps the compatibility fields {id, user_uuid, email, device_uuid} plus `tv`, the account's token
 * version: bumping it (password change/reset, deletion) revokes every older token; `dv`, the device's token
 * version, does the same for one device (tokens issued before it existed carry none and count as 0).
 * Verifying the signature is the costly part of every authenticated request (a WebCrypto HMAC on the thread
 * pool), so the claims of recently verified tokens are remembered (exact token string → claims, until the
 * token expires, at most VERIFIED_CACHE_SIZE). Revocation is unaffected: the account and device versions are
 * checked against the database on every request (AccountService.currentHolder).
 * Must never accept another algorithm (no `alg: none`), nor a token whose account or version changed.
 */
import { SignJWT, jwtVerify } from 'jose';

export interface TokenClaims {
  readonly id: number;
  readonly user_uuid: string;
  readonly email: string;
  readonly device_uuid: string;
  readonly tv: number;
  /** The device's token version (devices.token_version): revoking the device revokes its tokens. */
  readonly dv: number;
}

const TOKEN_LIFETIME = '30d';
const VERIFIED_CACHE_SIZE = 1_000;

interface Verified {
  readonly claims: TokenClaims;
  /** Expiry (exp) in milliseconds since the epoch. */
  readonly expiresAt: number;
}

export class TokenService {
  private readonly key: Uint8Array;
  /** Recently verified tokens, oldest first (a Map keeps insertion order). */
  private readonly verified = new Map<string, Verified>();

  constructor(
    secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  issue(claims: TokenClaims): Promise<string> {
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(TOKEN_LIFETIME)
      .sign(this.key);
  }

  /** The claims of a valid, unexpired token, or undefined. */
  async verify(token: string): Promise<TokenClaims | undefined> {
    const known = this.verified.get(token);
    if (known && known.expiresAt > this.now()) return known.claims;
    this.verified.delete(token);
    const claims = await this.verifySignature(token);
    if (claims) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value ?? '');
      this.verified.set(token, claims);
    }
    return claims?.claims;
  }

  private async verifySignature(token: string): Promise<Verified | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
      });
      const { id, user_uuid, email, device_uuid, tv, dv = 0, exp } = payload as Record<string, unknown>;
      if (
        typeof id !== 'number' ||
        typeof user_uuid !== 'string' ||
        typeof email !== 'string' ||
        typeof device_uuid !== 'string' ||
        typeof tv !== 'number' ||
        typeof dv !== 'number' ||
        typeof exp !== 'number'
      ) {
        return undefined;
      }
      return { claims: { id, user_uuid, email, device_uuid, tv, dv }, expiresAt: exp * 1000 };
    } catch {
      return undefined;
    }
  }
}
