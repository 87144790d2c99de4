/**
 * The fuzzer's catalogue of hostile values: names and path segments that traverse or carry invalid UTF-8,
 * numbers that are negative, huge or not numbers, Range and tus headers that make no sense, garbage tokens,
 * and JSON of the wrong shape. Plain data; ./fuzz-requests.ts combines it with the route list.
 */
import type { Prng } from '../support/prng.ts';

/** Path-segment values, already in URL form (percent-encoded where a raw byte would be invalid in a URL). */
export const PATH_SEGMENTS = [
  '..',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fbackup.db',
  '..%5C..%5Cwindows',
  '%00',
  'a%00.jpg',
  '%C0%AF',
  '%FF%FE%FD',
  '%ED%A0%80',
  '%E2%80%AE%E2%80%AEgpj.exe',
  '%',
  '%zz',
  '-1',
  '0',
  '99999999999999999999999',
  '1e309',
  'NaN',
  '0x10',
  '%20',
  '.',
  '.jpg',
  'CON',
  '%2F',
  "'%3B%20DROP%20TABLE%20assets%3B--",
  'a'.repeat(3000),
  'é'.repeat(300),
  'f'.repeat(64),
  'F'.repeat(64),
  'g'.repeat(64),
  '0'.repeat(32),
] as const;

/** Query strings (without `?`). */
export const QUERIES = [
  'offset=-1&limit=-1',
  'offset=99999999999999999999&limit=99999999999999999999',
  'offset=1e400&limit=NaN',
  'offset=abc&limit=%00',
  'offset=1&offset=2&limit=3&limit=4',
  'offset[]=1&limit[x]=2',
  'limit=0.5',
  'cursor=%FF%FE&limit=501',
  `cursor=${'x'.repeat(5000)}`,
  'v=%00&ticket=garbage',
  'ticket=eyJhbGciOiJub25lIn0.e30.',
  '__proto__[admin]=1&constructor[prototype][admin]=1',
  `${'a=1&'.repeat(2000)}b=2`,
] as const;

export const AUTHORIZATIONS = [
  '',
  'Bearer',
  'Bearer ',
  'Bearer x.y.z',
  'Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpZCI6MX0.',
  'Basic YWRtaW46YWRtaW4=',
  'bearer  a  b',
  `Bearer ${'A'.repeat(8000)}`,
  'Bearer \u00ff\u00fe',
] as const;

export const RANGES = [
  'bytes=-1-5',
  'bytes=5-1',
  'bytes=999999999999999-',
  'bytes=0-99999999999999999999',
  'bytes=-0',
  'bytes=--1',
  'bytes=0-0,1-1,2-2,3-3,4-4,5-5,6-6,7-7,8-8,9-9',
  `bytes=${Array.from({ length: 500 }, (_, i) => `${i}-${i}`).join(',')}`,
  'items=0-1',
  'bytes=abc-def',
  'bytes=1e3-2e3',
] as const;

/** Raw header values: latin1 strings, so bytes 0x80–0xFF go out unchanged (invalid UTF-8 on the wire). */
export const HEADER_VALUES = [
  '../../x.jpg',
  '..\\..\\x.jpg',
  '\u00ff\u00fe\u00fd.jpg',
  '\u00c3\u0028.jpg',
  '%FF%FE.jpg',
  '%2e%2e%2fx.jpg',
  '%',
  ' ',
  'a'.repeat(10_000),
  'CON.jpg',
  'x.jpg\t.png',
  '-1',
  '99999999999999999999999',
  'NaN',
] as const;

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  `multipart/form-data; boundary=${'b'.repeat(200)}`,
  'text/plain',
  'application/offset+octet-stream',
  'image/jpeg',
  '*/*',
  'application/x-www-form-urlencoded',
] as const;

/** A JSON value of a random wrong kind. */
export function wrongJsonValue(rng: Prng, depth = 0): unknown {
  switch (rng.int(0, 11)) {
    case 0:
      return null;
    case 1:
      return rng.pick([-1, 0, 1e308, -1e308, 2 ** 53 + 1, 0.5]);
    case 2:
      return rng.pick([true, false]);
    case 3:
      return 'x'.repeat(rng.pick([0, 1, 300, 70_000]));
    case 4:
      return rng.pick(['../../etc/passwd', '\u0000', '\ud800', 'é', '<script>', '${jndi:x}']);
    case 5:
      return depth > 3 ? [] : Array.from({ length: rng.int(0, 4) }, () => wrongJsonValue(rng, depth + 1));
    case 6:
      return depth > 3
        ? {}
        : { a: wrongJsonValue(rng, depth + 1), ...(JSON.parse('{"__proto__":{"admin":true}}') as object) };
    case 7:
      return Array.from({ length: 20_000 }, (_, i) => i.toString(16).padStart(64, 'a'));
    case 8:
      return { $gt: '' };
    case 9:
      return rng.pick(['NaN', 'Infinity', '-0', '1e999']);
    default:
      return 'f'.repeat(64);
  }
}

/** Deeply nested JSON (parsers that recurse can be made to overflow). */
export function deepJson(levels: number): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}
