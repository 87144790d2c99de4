/**
 * This browser's device identity: a random uuid kept in localStorage (see [Note: web session storage]) and a
 * readable name for the account's device list. Works outside secure contexts (plain-HTTP LAN addresses),
 * where `crypto.randomUUID` does not exist.
 */
const KEY = 'photosync.deviceUuid';

function randomUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function browserDeviceUuid(): string {
  let uuid = localStorage.getItem(KEY);
  if (!uuid) {
    uuid = `web-${randomUuid()}`;
    localStorage.setItem(KEY, uuid);
  }
  return uuid;
}

const BROWSERS: readonly (readonly [string, RegExp])[] = [
  ['Edge', /Edg\//],
  ['Firefox', /Firefox\//],
  ['Chrome', /Chrom(e|ium)\//],
  ['Safari', /Safari\//],
];
const SYSTEMS: readonly (readonly [string, RegExp])[] = [
  ['Android', /Android/],
  ['iOS', /iPhone|iPad/],
  ['Windows', /Windows/],
  ['macOS', /Mac OS X/],
  ['Linux', /Linux/],
];

function firstMatch(list: readonly (readonly [string, RegExp])[], text: string, fallback: string): string {
  return list.find(([, pattern]) => pattern.test(text))?.[0] ?? fallback;
}

/** e.g. "Web browser (Chrome on Android)". */
export function browserDeviceName(userAgent = navigator.userAgent): string {
  return `Web browser (${firstMatch(BROWSERS, userAgent, 'unknown')} on ${firstMatch(SYSTEMS, userAgent, 'unknown system')})`;
}
