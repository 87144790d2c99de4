/**
 * The addresses a pairing code offers a phone, best first: the origin the person reached the server through
 * (unless it is this machine's loopback, which a phone cannot reach), then every LAN address; loopback last.
 */
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

function isLoopback(url: string): boolean {
  try {
    return LOOPBACK_HOST.test(new URL(url).hostname);
  } catch {
    return true;
  }
}

export function pairingServerUrls(lanUrls: readonly string[], requestOrigin: string | undefined): string[] {
  const ordered = [requestOrigin, ...lanUrls].filter((url): url is string => url !== undefined && url !== '');
  const unique = [...new Set(ordered.map((url) => url.replace(/\/+$/, '')))];
  return [...unique.filter((url) => !isLoopback(url)), ...unique.filter(isLoopback)];
}
