/** Signed-in account routes (ours, /api/v2/account): who am I, password change, devices, media tickets. */
import { z } from 'zod';

export const AccountInfo = z.object({
  id: z.number().int(),
  email: z.string(),
  isAdmin: z.boolean(),
  deviceId: z.number().int().describe('The devices row of the calling device'),
});
export type AccountInfo = z.infer<typeof AccountInfo>;

export const ChangePasswordRequest = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024).describe('At least 8 characters'),
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

export const SessionResponse = z.object({
  token: z.string().describe('A fresh token for the calling device; its previous token no longer works'),
  userId: z.number().int(),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const DeviceIdParams = z.object({ id: z.coerce.number().int().positive() });

export const DeviceEntry = z.object({
  id: z.number().int(),
  name: z.string().nullable().describe('What the device called itself at sign-in, if anything'),
  createdAt: z.string().describe('First sign-in (ISO 8601)'),
  lastSeen: z.string().describe('Last sign-in or request (ISO 8601, refreshed at most every 10 minutes)'),
  current: z.boolean().describe('True for the device making this request'),
});
export type DeviceEntry = z.infer<typeof DeviceEntry>;

export const DeviceList = z.object({ devices: z.array(DeviceEntry) });
export type DeviceList = z.infer<typeof DeviceList>;

export const RevokeDeviceResponse = z.object({ revoked: z.literal(true), id: z.number().int() });
export type RevokeDeviceResponse = z.infer<typeof RevokeDeviceResponse>;

export const MediaTicket = z.object({
  ticket: z.string().describe('Pass as `?ticket=` on GET of file bytes, thumbnails and previews'),
  expiresAt: z.string().describe('ISO 8601; ask for a new ticket before then'),
});
export type MediaTicket = z.infer<typeof MediaTicket>;
