/**
 * Media tickets ([Note: media tickets]): `?ticket=` opens file bytes for `<img>`/`<video>` (with Range for
 * seeking) and nothing else — no listing, no writes — and dies with the session it came from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TICKET_WINDOW_MS, MediaTicketService } from '../../src/services/accounts/media-tickets.ts';
import { redactTicket } from '../../src/http/log-redaction.ts';
import { registerUser, startTestServer, uploadRaw, type Session, type TestServer } from '../support/test-server.ts';
import { PASSWORD, signInAnotherDevice } from './sessions.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

const BYTES = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));

async function ticketFor(session: Session): Promise<{ ticket: string; expiresAt: string }> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v2/account/media-ticket',
    headers: session.headers,
  });
  expect(response.statusCode).toBe(200);
  expect(response.headers['cache-control']).toBe('no-store');
  return response.json();
}

const withTicket = (path: string, ticket: string, init: { method?: 'GET' | 'HEAD' | 'DELETE'; range?: string } = {}) =>
  server.app.inject({
    method: init.method ?? 'GET',
    url: `${path}?ticket=${encodeURIComponent(ticket)}`,
    headers: init.range ? { range: init.range } : {},
  });

describe('a media ticket', () => {
  let user: Session;
  let ticket: string;
  beforeAll(async () => {
    user = await registerUser(server.app);
    expect((await uploadRaw(server.app, user, 'clip.mp4', BYTES)).statusCode).toBe(200);
    const issued = await ticketFor(user);
    ticket = issued.ticket;
    const lifetime = Date.parse(issued.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(MEDIA_TICKET_WINDOW_MS - 5000);
    expect(lifetime).toBeLessThanOrEqual(2 * MEDIA_TICKET_WINDOW_MS);
  });

  it('downloads a file without auth headers, whole and by range', async () => {
    const whole = await withTicket('/api/files/clip.mp4', ticket);
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(BYTES)).toBe(true);
    const part = await withTicket('/api/files/clip.mp4', ticket, { range: 'bytes=1000-1999' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${BYTES.length}`);
    expect(part.rawPayload.equals(BYTES.subarray(1000, 2000))).toBe(true);
    expect((await withTicket('/api/files/clip.mp4', ticket, { method: 'HEAD' })).statusCode).toBe(200);
  });

  it('opens nothing but file bytes: no listing, no deletion', async () => {
    expect((await withTicket('/api/files', ticket)).statusCode).toBe(401);
    expect((await withTicket('/api/v2/account/devices', ticket)).statusCode).toBe(401);
    expect((await withTicket('/api/v2/files/clip.mp4', ticket, { method: 'DELETE' })).statusCode).toBe(401);
    expect((await server.app.inject({ url: '/api/files/clip.mp4', headers: user.headers })).statusCode).toBe(200);
  });

  it('is not a session token, and a session token is not a ticket', async () => {
    const asBearer = await server.app.inject({
      url: '/api/files/clip.mp4',
      headers: { authorization: `Bearer ${ticket}`, 'x-device-uuid': user.deviceUuid },
    });
    expect(asBearer.statusCode).toBe(403);
    const sessionAsTicket = await withTicket('/api/files/clip.mp4', user.token);
    expect(sessionAsTicket.statusCode).toBe(403);
    expect(sessionAsTicket.json()).toMatchObject({ code: 'INVALID_TICKET' });
    const [head, payload, signature] = ticket.split('.');
    const tampered = await withTicket('/api/files/clip.mp4', `${head}.${payload}e30.${signature}`);
    expect(tampered.statusCode).toBe(403);
  });

  it("reads only the ticket holder's library", async () => {
    const other = await registerUser(server.app);
    expect((await uploadRaw(server.app, other, 'secret.jpg', Buffer.from('other account'))).statusCode).toBe(200);
    expect((await withTicket('/api/files/secret.jpg', ticket)).statusCode).toBe(404);
  });

  it('dies when its device is revoked', async () => {
    const phone = await signInAnotherDevice(server.app, user, 'ticket-phone');
    const phoneTicket = (await ticketFor(phone)).ticket;
    expect((await withTicket('/api/files/clip.mp4', phoneTicket)).statusCode).toBe(200);
    const devices = await server.app.inject({ url: '/api/v2/account/devices', headers: user.headers });
    const phoneId = devices.json<{ devices: { id: number; current: boolean }[] }>().devices.find((d) => !d.current)?.id;
    await server.app.inject({ method: 'DELETE', url: `/api/v2/account/devices/${phoneId}`, headers: user.headers });
    expect((await withTicket('/api/files/clip.mp4', phoneTicket)).statusCode).toBe(403);
    expect((await withTicket('/api/files/clip.mp4', ticket)).statusCode).toBe(200);
  });

  it('dies when the password changes', async () => {
    const changed = await server.app.inject({
      method: 'POST',
      url: '/api/v2/account/password',
      headers: user.headers,
      payload: { currentPassword: PASSWORD, newPassword: 'another-password-2' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await withTicket('/api/files/clip.mp4', ticket)).statusCode).toBe(403);
  });
});

describe('MediaTicketService', () => {
  const claims = { id: 1, user_uuid: 'u', device_uuid: 'd', tv: 0, dv: 0 };

  it('gives the same ticket within a window (stable, cacheable URLs) and a new one in the next', async () => {
    let now = 10 * MEDIA_TICKET_WINDOW_MS + 5;
    const service = new MediaTicketService('s'.repeat(40), () => now);
    const first = await service.issue(claims);
    now += MEDIA_TICKET_WINDOW_MS / 2;
    expect((await service.issue(claims)).ticket).toBe(first.ticket);
    now += MEDIA_TICKET_WINDOW_MS;
    expect((await service.issue(claims)).ticket).not.toBe(first.ticket);
  });

  it('accepts a ticket for two windows at most', async () => {
    let now = 10 * MEDIA_TICKET_WINDOW_MS;
    const service = new MediaTicketService('s'.repeat(40), () => now);
    const { ticket, expiresAt } = await service.issue(claims);
    expect(Date.parse(expiresAt)).toBe(12 * MEDIA_TICKET_WINDOW_MS);
    now = 12 * MEDIA_TICKET_WINDOW_MS - 1000;
    expect(await service.verify(ticket)).toEqual(claims);
    now = 12 * MEDIA_TICKET_WINDOW_MS + 1000;
    expect(await service.verify(ticket)).toBeUndefined();
  });

  it('refuses a ticket signed with another secret', async () => {
    const { ticket } = await new MediaTicketService('a'.repeat(40)).issue(claims);
    expect(await new MediaTicketService('b'.repeat(40)).verify(ticket)).toBeUndefined();
  });

  it('keeps tickets out of the request log', () => {
    expect(redactTicket('/api/files/a.jpg?ticket=abc.def.ghi')).toBe('/api/files/a.jpg?ticket=[redacted]');
    expect(redactTicket('/api/v2/files/a.jpg/thumbnail?x=1&ticket=abc&y=2')).toBe(
      '/api/v2/files/a.jpg/thumbnail?x=1&ticket=[redacted]&y=2',
    );
  });
});
