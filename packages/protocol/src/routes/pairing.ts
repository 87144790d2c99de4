/** Phone pairing routes (ours). */
import { PairRequest, PairResponse, PairingCodeResponse } from '../pairing.ts';
import type { RouteSpec } from '../route-spec.ts';
import { authErrors, error } from './shared.ts';

const tag = 'v2: pairing' as const;

export const pairingRoutes: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/api/v2/pair/codes',
    summary: 'Create a one-time pairing code for the signed-in account',
    description:
      'Valid for 5 minutes and exactly once; only its SHA-256 is stored. Show it to a phone as a QR code ' +
      'carrying `photosync://pair?code=…&url=…` (one `url` per server address, best first).',
    tag,
    auth: true,
    responses: {
      201: { description: 'The code and where to reach this server', schema: PairingCodeResponse },
      ...authErrors,
    },
  },
  {
    method: 'post',
    path: '/api/v2/pair',
    summary: 'Sign a phone in with a pairing code',
    description:
      'Exchanges the code, once, for a token of the account that created it, bound to `device_uuid` ' +
      '(as `/api/login` would). Rate limited per client address like sign-in.',
    tag,
    auth: false,
    body: { kind: 'json', schema: PairRequest },
    responses: {
      200: { description: 'Signed in', schema: PairResponse },
      400: error('Missing or invalid fields'),
      401: error('Unknown (INVALID_PAIRING_CODE), expired (PAIRING_CODE_EXPIRED) or used (PAIRING_CODE_USED) code'),
      429: error('Too many attempts'),
    },
  },
];
