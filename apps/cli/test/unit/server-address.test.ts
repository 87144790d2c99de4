import { describe, expect, it } from 'vitest';
import { serverUrl } from '../../src/server-address.ts';

describe('server address rules (seed: a bare host means HTTPS, an IP means http on port 3000)', () => {
  it.each([
    ['192.168.1.222', 'http://192.168.1.222:3000'],
    ['192.168.1.222:8080', 'http://192.168.1.222:8080'],
    ['::1', 'http://[::1]:3000'],
    ['[fe80::1]:4000', 'http://[fe80::1]:4000'],
    ['photosync.example.com', 'https://photosync.example.com'],
    ['photosync.example.com:8443', 'https://photosync.example.com:8443'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['https://photos.example.com/base', 'https://photos.example.com/base'],
  ])('%s → %s', (input, expected) => {
    expect(serverUrl(input)).toBe(expected);
  });

  it.each(['', '   ', 'not a host!', 'a b'])('refuses %j', (input) => {
    expect(() => serverUrl(input)).toThrow();
  });
});
