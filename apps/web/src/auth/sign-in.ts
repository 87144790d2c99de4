/** Sign in or register this browser as a device of the account, and turn the answer into the tab's session. */
import { api } from '../app/api.ts';
import { setSession, type Session } from '../app/session-store.ts';
import { browserDeviceName, browserDeviceUuid } from './device-identity.ts';

export type Mode = 'sign-in' | 'register';

export async function signIn(mode: Mode, email: string, password: string): Promise<void> {
  const deviceUuid = browserDeviceUuid();
  const answer =
    mode === 'register'
      ? await api().register({ email, password, deviceUuid })
      : await api().login({ email, password, deviceUuid, deviceName: browserDeviceName() });
  await startSession(answer.token, deviceUuid);
}

/** Ask the server who the token belongs to, then keep it for this tab. */
export async function startSession(token: string, deviceUuid: string): Promise<Session> {
  // The client reads auth from the session store: hold the token there while asking who it belongs to.
  setSession({ token, deviceUuid, userId: 0, email: '', isAdmin: false, deviceId: 0 });
  try {
    const me = await api().account.me();
    const session = { token, deviceUuid, userId: me.id, email: me.email, isAdmin: me.isAdmin, deviceId: me.deviceId };
    setSession(session);
    return session;
  } catch (error) {
    setSession(undefined);
    throw error;
  }
}

/**
 * Sign this tab out. The browser's device is revoked on the server first, so the token dies there too and a
 * copy of it (a shared computer, a leaked session) is worthless; signing in again reactivates the device.
 */
export async function signOut(session: Session): Promise<void> {
  try {
    await api().account.revokeDevice(session.deviceId);
  } catch {
    // Offline or already revoked: forgetting the token here is what matters.
  } finally {
    setSession(undefined);
  }
}
