/**
 * Turn what a user types into a server URL, following the seed: a bare host name means HTTPS (Remote);
 * an IP address means http on port 3000 unless a port is given (Local); a full URL is used as is.
 */
import { isIP } from 'node:net';
import { CliError, EXIT } from './cli-error.ts';

export function serverUrl(input: string): string {
  const text = input.trim().replace(/\/+$/, '');
  if (text === '') throw new CliError('server address is empty', EXIT.usage);
  if (/^https?:\/\//i.test(text)) return new URL(text).toString().replace(/\/+$/, '');
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const [host, port] = bracketed ? [bracketed[1] ?? '', bracketed[2]] : splitHostPort(text);
  if (isIP(host)) {
    const shown = isIP(host) === 6 ? `[${host}]` : host;
    return `http://${shown}:${port ?? '3000'}`;
  }
  if (!/^[A-Za-z0-9.-]+$/.test(host)) throw new CliError(`not a server address: ${input}`, EXIT.usage);
  return port ? `https://${host}:${port}` : `https://${host}`;
}

function splitHostPort(text: string): [string, string | undefined] {
  const colon = text.lastIndexOf(':');
  if (colon > 0 && text.indexOf(':') === colon && /^\d+$/.test(text.slice(colon + 1))) {
    return [text.slice(0, colon), text.slice(colon + 1)];
  }
  return [text, undefined];
}
