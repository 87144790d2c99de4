/**
 * Media tickets: how the web app's `<img>` and `<video>` elements, which cannot send an Authorization
 * header, fetch thumbnails, previews and originals (with Range requests for video seeking).
 *
 * [Note: media tickets] A ticket is a JWT signed with a key derived from the session secret (so it can never
 * pass as a session token, nor a session token as a ticket), naming the account, the device and both token
 * versions: a password change or a device revocation invalidates it like the session it came from. It is
 * accepted only as `?ticket=` on GET/HEAD of the byte routes listed in http/authenticate.ts, never on
 * anything that changes or lists data. Tickets are issued per time window and are identical within one,
 * so media URLs stay stable and the browser's HTTP cache keeps working; each is valid for two windows.
 * Must never carry the session token or the account email, and must never be accepted for a write.
 */
import { createHmac } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

export interface MediaTicketClaims {
  readonly id: number;
  readonly user_uuid: string;
  readonly device_uuid: string;
  readonly tv: number;
  readonly dv: number;
}

export interface MediaTicket {
  readonly ticket: string;
  /** ISO 8601 time after which the server refuses the ticket. */
  readonly expiresAt: string;
}

const AUDIENCE = 'photosync:media';
/** Length of one issuing window; a ticket lives for two. */
export const MEDIA_TICKET_WINDOW_MS = 60 * 60_000;

export class MediaTicketService {
  private readonly key: Uint8Array;

  constructor(
    sessionSecret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', sessionSecret).update('photosync/media-ticket/v1').digest();
  }

  async issue(claims: MediaTicketClaims): Promise<MediaTicket> {
    const windowStart = Math.floor(this.now() / MEDIA_TICKET_WINDOW_MS) * MEDIA_TICKET_WINDOW_MS;
    const expires = windowStart + 2 * MEDIA_TICKET_WINDOW_MS;
    const ticket = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setAudience(AUDIENCE)
      .setIssuedAt(windowStart / 1000)
      .setExpirationTime(expires / 1000)
      .sign(this.key);
    return { ticket, expiresAt: new Date(expires).toISOString() };
  }

  /** The claims of a valid, unexpired ticket, or undefined. */
  async verify(ticket: string): Promise<MediaTicketClaims | undefined> {
    try {
      const { payload } = await jwtVerify(ticket, this.key, {
        algorithms: ['HS256'],
        audience: AUDIENCE,
        currentDate: new Date(this.now()),
      });
      const { id, user_uuid, device_uuid, tv, dv } = payload as Record<string, unknown>;
      if (
        typeof id !== 'number' ||
        typeof user_uuid !== 'string' ||
        typeof device_uuid !== 'string' ||
        typeof tv !== 'number' ||
        typeof dv !== 'number'
      ) {
        return undefined;
      }
      return { id, user_uuid, device_uuid, tv, dv };
    } catch {
      return undefined;
    }
  }
}
