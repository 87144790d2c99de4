/**
 * Malformed requests generated from the protocol's route list (`routes` in packages/protocol), so every
 * endpoint — including ones added later — is fuzzed without touching this file. For each request a route is
 * taken in turn and one mutation is applied: wrong method, hostile path parameters or query, garbage or
 * missing auth, huge headers, Range and tus headers that make no sense, bad or wrongly typed JSON, broken
 * multipart, hostile file names, oversize bodies, or raw bytes that are not HTTP at all.
 */
import type { RouteSpec } from '@photosync/protocol';
import type { Prng } from '../support/prng.ts';
import {
  AUTHORIZATIONS,
  CONTENT_TYPES,
  deepJson,
  HEADER_VALUES,
  PATH_SEGMENTS,
  QUERIES,
  RANGES,
  wrongJsonValue,
} from './fuzz-values.ts';

export interface FuzzRequest {
  /** Which mutation made it (for the report). */
  readonly mutation: string;
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
  /** A whole request written to the socket as is (overrides the fields above). */
  readonly raw?: Buffer;
}

/** Real values the fuzzer sometimes uses, so that requests get past "not found" into deeper checks. */
export interface FuzzContext {
  /** Headers of a signed-in account, and of the administrator (for /api/v2/admin routes). */
  readonly auth: Record<string, string>;
  readonly adminAuth: Record<string, string>;
  readonly params: Record<string, readonly string[]>;
}

/** A change to the base request; `replaceHeaders` drops the base headers (the valid auth) instead of merging. */
type Change = Partial<FuzzRequest> & { readonly replaceHeaders?: boolean };
type Mutation = (route: RouteSpec, ctx: FuzzContext, rng: Prng) => Change;

function fillPath(route: RouteSpec, ctx: FuzzContext, rng: Prng, hostile: boolean): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const real = ctx.params[name] ?? [];
    return !hostile && real.length > 0 ? encodeURIComponent(rng.pick(real)) : rng.pick(PATH_SEGMENTS);
  });
  return path.replace('/*', `/${rng.pick(PATH_SEGMENTS)}`);
}

/** Keys of a zod object schema (or of the objects in a union), by duck typing. */
function schemaKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  if (shape) return Object.keys(shape);
  const options = (schema as { options?: unknown[] } | undefined)?.options ?? [];
  return options.flatMap(schemaKeys);
}

function multipart(field: string, filename: string, content: Buffer, boundary = 'fuzzboundary'): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
        `Content-Type: image/jpeg\r\n\r\n`,
      'latin1',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

const json = (value: unknown): Change => ({
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

const MUTATIONS: Record<string, Mutation> = {
  'wrong method': (route, ctx, rng) => ({
    method: rng.pick(
      ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].filter((m) => m !== route.method.toUpperCase()),
    ),
    path: fillPath(route, ctx, rng, false),
  }),
  'hostile path parameter': (route, ctx, rng) => ({ path: fillPath(route, ctx, rng, true) }),
  'hostile query': (route, ctx, rng) => ({ path: `${fillPath(route, ctx, rng, false)}?${rng.pick(QUERIES)}` }),
  'garbage auth': (_route, _ctx, rng) => {
    const value = rng.pick(AUTHORIZATIONS);
    const device = rng.chance(0.5) ? {} : { 'x-device-uuid': rng.pick(HEADER_VALUES) };
    return { headers: { ...(value ? { authorization: value } : {}), ...device }, replaceHeaders: true };
  },
  'huge header': (_route, _ctx, rng) => ({ headers: { 'x-filler': 'h'.repeat(rng.pick([9_000, 17_000, 64_000])) } }),
  'bad JSON': (_route, _ctx, rng) =>
    json(
      rng.pick(['{"email": "a@b.c", "password":', '{', '[', 'nul', '{"a":1}}', '\u00ff\u00fe', deepJson(100_000), '']),
    ),
  'wrongly typed JSON': (route, _ctx, rng) => {
    const keys = route.body?.kind === 'json' ? schemaKeys(route.body.schema) : ['filename', 'offset'];
    return json(Object.fromEntries(keys.map((key) => [key, wrongJsonValue(rng)])));
  },
  'oversize body': (_route, _ctx, rng) =>
    rng.chance(0.5)
      ? { headers: { 'content-type': 'application/json', 'content-length': String(2 ** 40) }, body: Buffer.alloc(0) }
      : json({ state: 'x'.repeat(1_100_000) }),
  'broken multipart': (route, _ctx, rng) => {
    const field = route.body?.kind === 'multipart' ? route.body.field : rng.pick(['file', 'chunk']);
    const whole = multipart(field, rng.pick(HEADER_VALUES), rng.bytes(rng.int(0, 4096)));
    const body = rng.pick([
      whole,
      whole.subarray(0, rng.int(1, whole.length)),
      multipart('other', 'a.jpg', Buffer.from('x')),
      Buffer.from('--fuzzboundary\r\nContent-Disposition: form-data\r\n\r\nno file\r\n--fuzzboundary--'),
      Buffer.from(`--fuzzboundary\r\n${'X-Pad: y\r\n'.repeat(2000)}\r\n\r\n--fuzzboundary--`),
    ]);
    const boundary = rng.pick(['fuzzboundary', 'fuzzboundary', 'other', '']);
    return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body };
  },
  'hostile upload headers': (_route, _ctx, rng) => ({
    headers: {
      'content-type': rng.pick(CONTENT_TYPES),
      'x-filename': rng.pick(HEADER_VALUES),
      'x-chunk-id': rng.pick(['', 'zz', 'f'.repeat(63), 'F'.repeat(64), '../'.repeat(21) + 'a']),
      'x-content-sha256': rng.pick(['', 'g'.repeat(64), '0'.repeat(64)]),
    },
    body: rng.bytes(rng.pick([0, 1, 777, 70_000])),
  }),
  'hostile range': (route, ctx, rng) => ({
    path: fillPath(route, ctx, rng, false),
    headers: { range: rng.pick(RANGES), 'if-range': rng.pick(['"x"', 'Mon, 99 Foo', '']), 'if-none-match': '*' },
  }),
  'hostile tus headers': (route, ctx, rng) => ({
    path: fillPath(route, ctx, rng, false),
    headers: {
      'tus-resumable': rng.pick(['1.0.0', '0.2.2', '', '1.0.0, 1.0.0']),
      'upload-offset': rng.pick(['-1', '99999999999999999999', 'NaN', '0x10', '1e3', '']),
      'upload-length': rng.pick(['-5', '99999999999999999999', '1.5', '', '0']),
      'upload-metadata': rng.pick(['filename', 'filename !!!,sha256 ???', `filename ${'QQ'.repeat(5000)}`, ',,,']),
      'content-type': 'application/offset+octet-stream',
    },
    body: rng.bytes(rng.int(0, 2048)),
  }),
  'raw bytes': (route, _ctx, rng) => ({
    raw: Buffer.from(
      rng.pick([
        `${route.method.toUpperCase()} ${route.path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
        `POST ${route.path} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
        `GET ${route.path} HTTP/1.1\r\nHost: x\r\nNo-Colon-Header\r\n\r\n`,
        `GET /\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n`,
        'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
        `GET ${route.path} HTTP/9.9\r\n\r\n`,
        `${'A'.repeat(70_000)}\r\n\r\n`,
        `GET ${route.path} HTTP/1.1\r\nHost: x\r\nX-A: \u0000\r\n\r\n`,
      ]),
      'latin1',
    ),
  }),
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** The `index`-th request: routes taken in turn, a mutation chosen at random. */
export function fuzzRequest(routes: readonly RouteSpec[], index: number, ctx: FuzzContext, rng: Prng): FuzzRequest {
  const route = routes[index % routes.length] as RouteSpec;
  const mutation = rng.pick(MUTATION_NAMES);
  const base: FuzzRequest = {
    mutation,
    route: `${route.method.toUpperCase()} ${route.path}`,
    method: route.method.toUpperCase(),
    path: fillPath(route, ctx, rng, false),
    headers: !route.auth ? {} : route.path.startsWith('/api/v2/admin') ? { ...ctx.adminAuth } : { ...ctx.auth },
  };
  const { replaceHeaders, ...change } = (MUTATIONS[mutation] as Mutation)(route, ctx, rng);
  const headers = replaceHeaders ? { ...change.headers } : { ...base.headers, ...change.headers };
  return { ...base, ...change, headers };
}
