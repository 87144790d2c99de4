/** Phone pairing (ours): a one-time code from a signed-in session signs a phone in without a password. */
import { z } from 'zod';
import { DeviceUuid } from './accounts.ts';

export const PairingCodeResponse = z.object({
  code: z.string().describe('One-time code, e.g. 7KQ2M-XW9FD; case, dashes and spaces do not matter'),
  expiresAt: z.string().describe('ISO 8601; the code is refused afterwards (5 minutes)'),
  serverUrls: z
    .array(z.string())
    .describe("Addresses a phone may use: the server's LAN URLs and this request's origin"),
});
export type PairingCodeResponse = z.infer<typeof PairingCodeResponse>;

export const PairRequest = z.object({
  code: z.string().trim().min(1).max(64),
  device_uuid: DeviceUuid,
  device_name: z.string().trim().max(200).optional(),
});
export type PairRequest = z.infer<typeof PairRequest>;

export const PairResponse = z.object({
  token: z.string().describe('Bound to device_uuid, as from /api/login'),
  userId: z.number().int(),
  email: z.string().describe('The account signed in to'),
});
export type PairResponse = z.infer<typeof PairResponse>;

/** What the pairing QR code carries: `photosync://pair?code=…&url=…[&url=…]`, the first URL preferred. */
export const PAIRING_URI_PREFIX = 'photosync://pair';

export function pairingUri(code: string, serverUrls: readonly string[]): string {
  const query = new URLSearchParams({ code });
  for (const url of serverUrls) query.append('url', url);
  return `${PAIRING_URI_PREFIX}?${query.toString()}`;
}

/** The code and server URLs in a scanned pairing URI, or undefined when it is not one. */
export function parsePairingUri(text: string): { code: string; serverUrls: string[] } | undefined {
  if (!text.startsWith(`${PAIRING_URI_PREFIX}?`)) return undefined;
  const query = new URLSearchParams(text.slice(PAIRING_URI_PREFIX.length + 1));
  const code = query.get('code');
  const serverUrls = query.getAll('url');
  return code && serverUrls.length > 0 ? { code, serverUrls } : undefined;
}
