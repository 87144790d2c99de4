/** Account routes of the compatibility API (PROTOCOL.md §2). Field names are the wire contract: never rename. */
import { z } from 'zod';

/** Device identifiers are opaque strings chosen by the phone (a UUID in practice). */
export const DeviceUuid = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'Device UUID may contain only letters, digits and . _ : -');

const email = z.string().trim().toLowerCase().min(3).max(254).pipe(z.email());
const password = z.string().min(1).max(1024);

export const RegisterRequest = z.object({
  email,
  password,
  device_uuid: DeviceUuid.optional(),
  deviceUuid: DeviceUuid.optional(),
  plan_gb: z.unknown().optional().describe('Ignored: a self-hosted server has no plans'),
  hardware_device_id: z.string().trim().min(1).max(256).optional(),
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const RegisterResponse = z.object({
  message: z.string(),
  token: z.string(),
  userId: z.number().int(),
});
export type RegisterResponse = z.infer<typeof RegisterResponse>;

export const LoginRequest = z.object({
  email,
  password,
  device_uuid: DeviceUuid,
  device_name: z.string().trim().max(200).optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({ token: z.string(), userId: z.number().int() });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const ResetPasswordDeviceRequest = z.object({
  email,
  hardware_device_id: z.string().trim().min(1).max(256),
  newPassword: password,
});
export type ResetPasswordDeviceRequest = z.infer<typeof ResetPasswordDeviceRequest>;

export const DeleteAccountResponse = z.object({ success: z.literal(true), message: z.string() });
export type DeleteAccountResponse = z.infer<typeof DeleteAccountResponse>;
