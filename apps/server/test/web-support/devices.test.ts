/**
 * GET /api/v2/account/devices and DELETE /api/v2/account/devices/:id: the devices of the account with the
 * caller marked; revoking one kills every token it holds at once (and only its tokens), a revoked device
 * may sign in again without its old tokens coming back, and nobody can revoke another account's device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import { filesStatus, signInAnotherDevice } from './sessions.ts';

interface Device {
  id: number;
  name: string | null;
  createdAt: string;
  lastSeen: string;
  current: boolean;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

async function devicesOf(session: Session): Promise<Device[]> {
  const response = await server.app.inject({ url: '/api/v2/account/devices', headers: session.headers });
  expect(response.statusCode).toBe(200);
  return response.json<{ devices: Device[] }>().devices;
}

const revoke = (session: Session, id: number) =>
  server.app.inject({ method: 'DELETE', url: `/api/v2/account/devices/${id}`, headers: session.headers });

describe('devices of an account', () => {
  let browser: Session;
  let phone: Session;
  let phoneId: number;
  beforeAll(async () => {
    browser = await registerUser(server.app, { deviceUuid: 'browser-a' });
    phone = await signInAnotherDevice(server.app, browser, 'phone-a', undefined, 'Pixel 8');
  });

  it('lists every signed-in device with its name and last sign-in, the caller marked current', async () => {
    const devices = await devicesOf(browser);
    expect(devices).toHaveLength(2);
    const [first, second] = devices;
    expect(first).toMatchObject({ name: 'Pixel 8', current: false });
    expect(second).toMatchObject({ name: null, current: true });
    for (const device of devices) {
      expect(Date.parse(device.lastSeen)).toBeGreaterThanOrEqual(Date.parse(device.createdAt));
    }
    phoneId = first?.id ?? -1;
    expect((await devicesOf(phone)).find((device) => device.current)?.id).toBe(phoneId);
  });

  it("revoking a device ends that device's session only", async () => {
    const response = await revoke(browser, phoneId);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ revoked: true, id: phoneId });
    expect(await filesStatus(server.app, phone.headers)).toBe(403);
    expect(await filesStatus(server.app, browser.headers)).toBe(200);
    expect((await devicesOf(browser)).map((device) => device.id)).not.toContain(phoneId);
  });

  it('lets a revoked device sign in again while its old token stays dead', async () => {
    const again = await signInAnotherDevice(server.app, browser, 'phone-a');
    expect(await filesStatus(server.app, again.headers)).toBe(200);
    expect(await filesStatus(server.app, phone.headers)).toBe(403);
    expect((await devicesOf(browser)).map((device) => device.id)).toContain(phoneId);
  });

  it('answers 404 for an unknown device, a revoked one, or one of another account', async () => {
    const stranger = await registerUser(server.app);
    const strangerDevice = (await devicesOf(stranger))[0]?.id ?? -1;
    expect((await revoke(browser, strangerDevice)).statusCode).toBe(404);
    expect(await filesStatus(server.app, stranger.headers)).toBe(200);
    expect((await revoke(browser, 999_999)).statusCode).toBe(404);
    const extra = await signInAnotherDevice(server.app, browser, 'tablet-a');
    const extraId = (await devicesOf(extra)).find((device) => device.current)?.id ?? -1;
    expect((await revoke(browser, extraId)).statusCode).toBe(200);
    expect((await revoke(browser, extraId)).statusCode).toBe(404);
    expect((await revoke(browser, Number.NaN)).statusCode).toBe(400);
  });

  it('revoking the calling device signs it out', async () => {
    const own = (await devicesOf(browser)).find((device) => device.current)?.id ?? -1;
    expect((await revoke(browser, own)).statusCode).toBe(200);
    expect(await filesStatus(server.app, browser.headers)).toBe(403);
  });
});

describe('GET /api/v2/account', () => {
  it('says who is calling: the first account is the administrator, later ones are not', async () => {
    const fresh = await startTestServer();
    try {
      const admin = await registerUser(fresh.app);
      const user = await registerUser(fresh.app);
      const me = (session: Session) => fresh.app.inject({ url: '/api/v2/account', headers: session.headers });
      expect((await me(admin)).json()).toMatchObject({ id: admin.userId, email: admin.email, isAdmin: true });
      expect((await me(user)).json()).toMatchObject({ id: user.userId, email: user.email, isAdmin: false });
      expect((await fresh.app.inject({ url: '/api/v2/account' })).statusCode).toBe(401);
    } finally {
      await fresh.close();
    }
  });
});
