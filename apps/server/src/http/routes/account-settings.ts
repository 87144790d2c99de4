/**
 * Signed-in account routes (ours, /api/v2/account): who am I, change the password, list and revoke devices,
 * and media tickets for the web app's `<img>`/`<video>` elements (see [Note: media tickets]).
 */
import type { FastifyInstance } from 'fastify';
import { ChangePasswordRequest, DeviceIdParams } from '@photosync/protocol';
import type { AccountService } from '../../services/accounts/account-service.ts';
import type { DeviceService } from '../../services/accounts/device-service.ts';
import type { PasswordChangeService } from '../../services/accounts/password-change.ts';
import { caller, requireAuth } from '../authenticate.ts';
import { parseInput } from '../parse.ts';

export interface AccountSettingsDeps {
  readonly accounts: AccountService;
  readonly devices: DeviceService;
  readonly passwords: PasswordChangeService;
}

export function accountSettingsRoutes(app: FastifyInstance, deps: AccountSettingsDeps): void {
  const auth = { preHandler: requireAuth(deps.accounts) };

  app.get('/api/v2/account', auth, async (request) => {
    const who = caller(request);
    return { id: who.accountId, email: who.email, isAdmin: who.isAdmin, deviceId: who.deviceId };
  });

  app.post('/api/v2/account/password', auth, async (request) => {
    const body = parseInput(ChangePasswordRequest, request.body);
    return deps.passwords.change(caller(request), body.currentPassword, body.newPassword);
  });

  app.get('/api/v2/account/devices', auth, async (request) => ({ devices: await deps.devices.list(caller(request)) }));

  app.delete('/api/v2/account/devices/:id', auth, async (request) => {
    const { id } = parseInput(DeviceIdParams, request.params);
    await deps.devices.revoke(caller(request), id);
    return { revoked: true, id };
  });

  app.post('/api/v2/account/media-ticket', auth, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return deps.accounts.issueMediaTicket(caller(request));
  });
}
