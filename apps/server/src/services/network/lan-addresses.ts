/**
 * The addresses a phone on the same network can use to reach this server (what the seed's tray menu lists
 * as "Local IP Addresses"). Private IPv4 first, then other non-internal IPv4; loopback never.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

const PRIVATE_V4 = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;

export interface LanAddress {
  readonly interfaceName: string;
  readonly address: string;
}

export function lanAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): LanAddress[] {
  const found: LanAddress[] = [];
  for (const [interfaceName, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.family === 'IPv4' && !info.internal) found.push({ interfaceName, address: info.address });
    }
  }
  const rank = (entry: LanAddress): number => (PRIVATE_V4.test(entry.address) ? 0 : 1);
  return found.sort((a, b) => rank(a) - rank(b) || a.address.localeCompare(b.address));
}

/** Where to point a phone, given the address the server listens on. */
export function phoneUrls(host: string, port: number, interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  const listensEverywhere = host === '0.0.0.0' || host === '::';
  if (!listensEverywhere) return [`http://${host}:${port}`];
  return lanAddresses(interfaces).map((entry) => `http://${entry.address}:${port}`);
}
