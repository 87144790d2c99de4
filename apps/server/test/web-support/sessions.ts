/** Helpers for the web-support tests: sign an existing account in from another device, auth headers. */
import type { FastifyInstance } from 'fastify';
import type { Session } from '../support/test-server.ts';

export const PASSWORD = 'correct-horse-1';

export function headersOf(token: string, deviceUuid: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'x-device-uuid': deviceUuid };
}

/** Sign `session`'s account in on another device (a second phone, a browser). */
export async function signInAnotherDevice(
  app: FastifyInstance,
  session: Session,
  deviceUuid: string,
  password = PASSWORD,
  deviceName?: string,
): Promise<Session> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { email: session.email, password, device_uuid: deviceUuid, device_name: deviceName },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const { token, userId } = response.json<{ token: string; userId: number }>();
  return { token, userId, deviceUuid, email: session.email, headers: headersOf(token, deviceUuid) };
}

/** GET /api/files as `headers`: 200 while the session is valid. */
export async function filesStatus(app: FastifyInstance, headers: Record<string, string>): Promise<number> {
  return (await app.inject({ url: '/api/files', headers })).statusCode;
}
