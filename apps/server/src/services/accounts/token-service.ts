/**
 * Session tokens: HS256 JWTs (jose) bound to one device, valid 30 days.
 * Payload keeps the compatibility fields {id, user_uuid, email, device_uuid} plus `tv`, the account's token
 * version: bumping it (password change/reset, deletion) revokes every older token; `dv`, the device's token
 * version, does the same for one device (tokens issued before it existed carry none and count as 0).
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

export class TokenService {
  private readonly key: Uint8Array;

  constructor(secret: string) {
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
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      const { id, user_uuid, email, device_uuid, tv, dv = 0 } = payload as Record<string, unknown>;
      if (
        typeof id !== 'number' ||
        typeof user_uuid !== 'string' ||
        typeof email !== 'string' ||
        typeof device_uuid !== 'string' ||
        typeof tv !== 'number' ||
        typeof dv !== 'number'
      ) {
        return undefined;
      }
      return { id, user_uuid, email, device_uuid, tv, dv };
    } catch {
      return undefined;
    }
  }
}
