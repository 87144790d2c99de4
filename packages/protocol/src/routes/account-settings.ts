/** Signed-in account routes (ours): who am I, password change, devices, media tickets. */
import {
  AccountInfo,
  ChangePasswordRequest,
  DeviceIdParams,
  DeviceList,
  MediaTicket,
  RevokeDeviceResponse,
  SessionResponse,
} from '../account-settings.ts';
import type { RouteSpec } from '../route-spec.ts';
import { authErrors, error } from './shared.ts';

const tag = 'v2: account' as const;

export const accountSettingsRoutes: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v2/account',
    summary: 'The signed-in account and device',
    tag,
    auth: true,
    responses: { 200: { description: 'Who is calling', schema: AccountInfo }, ...authErrors },
  },
  {
    method: 'post',
    path: '/api/v2/account/password',
    summary: 'Change the password; every other session is signed out',
    description:
      'The current password must be right (400 WRONG_PASSWORD). Every token of the account stops working, ' +
      "this device's included; the answer carries this device's new token. Rate limited per account.",
    tag,
    auth: true,
    body: { kind: 'json', schema: ChangePasswordRequest },
    responses: {
      200: { description: 'Changed; a fresh token for this device', schema: SessionResponse },
      ...authErrors,
      400: error('Wrong current password (WRONG_PASSWORD), new password too short (WEAK_PASSWORD), or invalid input'),
      429: error('Too many attempts'),
    },
  },
  {
    method: 'get',
    path: '/api/v2/account/devices',
    summary: 'Devices signed in to the account (revoked ones are not listed)',
    tag,
    auth: true,
    responses: { 200: { description: 'Most recently seen first', schema: DeviceList }, ...authErrors },
  },
  {
    method: 'delete',
    path: '/api/v2/account/devices/{id}',
    summary: 'Revoke a device: every token it holds stops working at once',
    description: 'The device can sign in again with the password or a new pairing code; its old tokens stay dead.',
    tag,
    auth: true,
    params: DeviceIdParams,
    responses: {
      200: { description: 'Revoked', schema: RevokeDeviceResponse },
      404: error('No such device on this account'),
      ...authErrors,
    },
  },
  {
    method: 'post',
    path: '/api/v2/account/media-ticket',
    summary: 'A read-only ticket for media URLs (img/video elements cannot send headers)',
    description:
      'Valid as `?ticket=` (instead of the Authorization and X-Device-UUID headers) only on GET/HEAD of ' +
      '`/api/files/{filename}`, `/api/v2/files/{filename}/thumbnail` and `/api/v2/files/{filename}/preview`. ' +
      'Tickets are the same within an hour, so media URLs stay cacheable, and each lives two hours at most. ' +
      'A password change or revoking the device invalidates them.',
    tag,
    auth: true,
    responses: { 200: { description: 'The ticket', schema: MediaTicket }, ...authErrors },
  },
];
