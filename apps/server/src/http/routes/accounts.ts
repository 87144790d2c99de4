/** Compatibility account routes (PROTOCOL.md §2): parse, call AccountService, map to status. */
import type { FastifyInstance } from 'fastify';
import { LoginRequest, RegisterRequest, ResetPasswordDeviceRequest } from '@photosync/protocol';
import type { AccountService } from '../../services/accounts/account-service.ts';
import { caller, requireAuth } from '../authenticate.ts';
import { parseInput } from '../parse.ts';

export function accountRoutes(app: FastifyInstance, accounts: AccountService): void {
  app.post('/api/register', async (request, reply) => {
    const body = parseInput(RegisterRequest, request.body);
    const session = await accounts.register({
      email: body.email,
      password: body.password,
      deviceUuid: body.device_uuid ?? body.deviceUuid,
      hardwareDeviceId: body.hardware_device_id,
      clientAddress: request.ip,
    });
    return reply.status(201).send({ message: 'User registered successfully', ...session });
  });

  app.post('/api/login', async (request) => {
    const body = parseInput(LoginRequest, request.body, 'Missing credentials or device ID', 'MISSING_CREDENTIALS');
    return accounts.login({
      email: body.email,
      password: body.password,
      deviceUuid: body.device_uuid,
      deviceName: body.device_name,
      clientAddress: request.ip,
    });
  });

  app.post('/api/reset-password-device', async (request) => {
    const body = parseInput(ResetPasswordDeviceRequest, request.body);
    await accounts.resetPasswordFromDevice({
      email: body.email,
      hardwareDeviceId: body.hardware_device_id,
      newPassword: body.newPassword,
      clientAddress: request.ip,
    });
    return { message: 'Password has been reset. Sign in again on every device.' };
  });

  app.delete('/api/account', { preHandler: requireAuth(accounts) }, async (request) => {
    await accounts.deleteAccount(caller(request).accountId);
    return { success: true, message: 'Account and all its files deleted' };
  });
}
