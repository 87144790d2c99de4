/** A preHandler that turns the compatibility auth headers into `request.auth` (or an error). */
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

export function requireAuth(accounts: AccountService): preHandlerAsyncHookHandler {
  return async (request) => {
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
