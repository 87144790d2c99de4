/**
 * The devices signed in to an account (phones, browsers, the CLI): list them, and revoke one so that every
 * token it holds stops working at once (see the device token version in token-service.ts). A revoked device
 * may sign in again with the password or a new pairing code; its old tokens stay dead.
 */
import type { DeviceRepository } from '../../repositories/device-repository.ts';
import { NotFound } from '../errors.ts';
import type { AuthContext } from './account-service.ts';

export interface DeviceSummary {
  readonly id: number;
  readonly name: string | null;
  readonly createdAt: string;
  readonly lastSeen: string;
  /** The device making this request. */
  readonly current: boolean;
}

export class DeviceService {
  constructor(private readonly deps: { readonly devices: DeviceRepository; readonly now?: () => Date }) {}

  async list(who: AuthContext): Promise<DeviceSummary[]> {
    const rows = await this.deps.devices.listActive(who.accountId);
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      createdAt: row.created_at,
      lastSeen: row.last_seen,
      current: row.id === who.deviceId,
    }));
  }

  /** Revoke one of the caller's devices (the caller's own included: that is signing out for good). */
  async revoke(who: AuthContext, deviceId: number): Promise<void> {
    const at = (this.deps.now?.() ?? new Date()).toISOString();
    if (!(await this.deps.devices.revoke(who.accountId, deviceId, at))) throw new NotFound('Device not found');
  }
}
