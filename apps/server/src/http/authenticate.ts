/**
 * A preHandler that turns the compatibility auth headers into `request.auth` (or an error); on the media byte
 * routes, a media ticket in the query instead.
 */
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AccountService, AuthContext } from '../services/accounts/account-service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

export function registerAuthDecorator(app: FastifyInstance): void {
  app.decorateRequest('auth', null);
}

/**
 * The only routes where `?ticket=` may stand in for the auth headers: GET/HEAD of file bytes, for `<img>` and
 * `<video>` elements. See [Note: media tickets] in services/accounts/media-tickets.ts.
 */
export const MEDIA_TICKET_ROUTES: ReadonlySet<string> = new Set([
  '/api/files/:filename',
  '/api/v2/files/:filename/thumbnail',
  '/api/v2/files/:filename/preview',
]);

function mediaTicket(request: FastifyRequest): string | undefined {
  if (request.headers.authorization !== undefined) return undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  if (!MEDIA_TICKET_ROUTES.has(request.routeOptions.url ?? '')) return undefined;
  const ticket = (request.query as Record<string, unknown> | undefined)?.['ticket'];
  return typeof ticket === 'string' && ticket !== '' ? ticket : undefined;
}

export function requireAuth(accounts: AccountService): preHandlerAsyncHookHandler {
  return async (request) => {
    const ticket = mediaTicket(request);
    if (ticket !== undefined) {
      request.auth = await accounts.authenticateMediaTicket(ticket);
      return;
    }
    const device = request.headers['x-device-uuid'];
    request.auth = await accounts.authenticate(
      request.headers.authorization,
      Array.isArray(device) ? device[0] : device,
    );
  };
}

/** The caller of an authenticated route (the preHandler guarantees it is set). */
export function caller(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new Error('route is missing requireAuth');
  return request.auth;
}
