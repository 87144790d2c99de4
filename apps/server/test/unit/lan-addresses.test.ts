import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lanAddresses, phoneUrls } from '../../src/services/network/lan-addresses.ts';

const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({
  address,
  netmask: '255.255.255.0',
  family: 'IPv4',
  mac: '00:00:00:00:00:00',
  internal,
  cidr: `${address}/24`,
});

const interfaces = {
  lo: [v4('127.0.0.1', true)],
  eth0: [v4('203.0.113.7'), { ...v4('fe80::1'), family: 'IPv6' as const, scopeid: 1 }],
  wlan0: [v4('192.168.1.222')],
  docker0: [v4('172.17.0.1')],
};

describe('LAN addresses for phone setup', () => {
  it('lists non-loopback IPv4 addresses, private ranges first', () => {
    expect(lanAddresses(interfaces).map((entry) => entry.address)).toEqual([
      '172.17.0.1',
      '192.168.1.222',
      '203.0.113.7',
    ]);
  });

  it('gives every LAN URL when listening on all interfaces, else the one address', () => {
    expect(phoneUrls('0.0.0.0', 3000, interfaces)).toContain('http://192.168.1.222:3000');
    expect(phoneUrls('192.168.1.222', 3001, interfaces)).toEqual(['http://192.168.1.222:3001']);
    expect(phoneUrls('0.0.0.0', 3000, { lo: [v4('127.0.0.1', true)] })).toEqual([]);
  });
});
