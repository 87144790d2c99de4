/**
 * Typed calls for the signed-in account (password, devices, media tickets), phone pairing and the
 * administrator's server overview (ours, /api/v2).
 */
import {
  AccountInfo,
  AccountList,
  DeviceList,
  MediaTicket,
  PairingCodeResponse,
  PairResponse,
  RevokeDeviceResponse,
  ServerOverview,
  SessionResponse,
  SetQuotaResponse,
} from '@photosync/protocol';
import type { HttpTransport } from './http-transport.ts';

export function accountApi(http: HttpTransport) {
  return {
    /** The signed-in account and device. */
    me: () => http.json(AccountInfo, { method: 'GET', path: '/api/v2/account' }),

    /** Change the password: every other session is signed out; the answer is this device's new token. */
    changePassword: (currentPassword: string, newPassword: string) =>
      http.json(SessionResponse, {
        method: 'POST',
        path: '/api/v2/account/password',
        json: { currentPassword, newPassword },
      }),

    devices: () => http.json(DeviceList, { method: 'GET', path: '/api/v2/account/devices' }),

    revokeDevice: (id: number) =>
      http.json(RevokeDeviceResponse, { method: 'DELETE', path: `/api/v2/account/devices/${id}` }),

    /** A read-only `?ticket=` for media URLs (img/video elements cannot send headers). */
    mediaTicket: () => http.json(MediaTicket, { method: 'POST', path: '/api/v2/account/media-ticket' }),
  };
}

export function pairingApi(http: HttpTransport) {
  return {
    /** A one-time code (5 minutes) that signs a phone in to this account. */
    createCode: () => http.json(PairingCodeResponse, { method: 'POST', path: '/api/v2/pair/codes' }),

    /** On the phone: exchange a scanned code for a session bound to `deviceUuid` (no auth needed). */
    pair: (input: { code: string; deviceUuid: string; deviceName?: string }) =>
      http.json(PairResponse, {
        method: 'POST',
        path: '/api/v2/pair',
        auth: false,
        json: { code: input.code, device_uuid: input.deviceUuid, device_name: input.deviceName },
      }),
  };
}

export function adminApi(http: HttpTransport) {
  return {
    accounts: () => http.json(AccountList, { method: 'GET', path: '/api/v2/admin/accounts' }),

    /** StealthCloud quota of an account; null = unlimited. */
    setQuota: (accountId: number, quotaBytes: number | null) =>
      http.json(SetQuotaResponse, {
        method: 'PUT',
        path: `/api/v2/admin/accounts/${accountId}/quota`,
        json: { quotaBytes },
      }),

    /** Server version and storage used and free. */
    server: () => http.json(ServerOverview, { method: 'GET', path: '/api/v2/admin/server' }),
  };
}
