/**
 * One well-formed request to each authenticated route of the protocol's route list, with the headers and
 * path parameters a test chooses: how the auth attacks prove that a forged or revoked credential is refused
 * everywhere (and that another account's ids reach nothing), including on routes added later.
 */
import { routes, type RouteSpec } from '@photosync/protocol';
import { httpCall, type HttpResult } from '../support/uploads.ts';

export interface RouteCall {
  readonly route: string;
  readonly status: number;
  readonly body: string;
}

/** Every route that needs a signed-in caller (OPTIONS excluded: it is tus discovery, open by design). */
export const AUTH_ROUTES: readonly RouteSpec[] = routes.filter((route) => route.auth && route.method !== 'options');

/** Placeholders for path parameters a test does not care about. */
export const ANY_PARAMS: Readonly<Record<string, string>> = {
  filename: 'IMG_0001.jpg',
  chunkId: 'a'.repeat(64),
  id: '1',
};

function bodyFor(route: RouteSpec): { headers: Record<string, string>; body?: Buffer } {
  switch (route.body?.kind) {
    case 'json':
      return { headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') };
    case 'binary':
      return {
        headers: {
          'content-type': route.path.includes('/tus/') ? 'application/offset+octet-stream' : 'application/octet-stream',
          'x-filename': 'attack.jpg',
          'x-chunk-id': 'b'.repeat(64),
          'upload-offset': '0',
        },
        body: Buffer.from('attack bytes'),
      };
    case 'multipart':
      return {
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        body: Buffer.from(
          '--x\r\nContent-Disposition: form-data; name="file"; filename="attack.jpg"\r\n\r\nattack\r\n--x--\r\n',
        ),
      };
    case undefined:
      return { headers: {} };
  }
}

export function pathFor(route: RouteSpec, params: Readonly<Record<string, string>>): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? '1'));
}

export async function callRoute(
  baseUrl: string,
  route: RouteSpec,
  headers: Record<string, string>,
  params: Readonly<Record<string, string>> = ANY_PARAMS,
): Promise<RouteCall> {
  const { headers: bodyHeaders, body } = bodyFor(route);
  const tus = route.path.startsWith('/api/v2/tus') ? { 'tus-resumable': '1.0.0', 'upload-length': '12' } : {};
  const result: HttpResult = await httpCall(baseUrl, {
    method: route.method.toUpperCase(),
    path: pathFor(route, params),
    headers: { ...tus, ...bodyHeaders, ...headers },
    ...(body ? { body } : {}),
  });
  return { route: `${route.method.toUpperCase()} ${route.path}`, status: result.status, body: result.body.toString() };
}

/** Call every authenticated route with `headers`; returns the calls that were NOT refused with 401/403. */
export async function acceptedAnywhere(baseUrl: string, headers: Record<string, string>): Promise<RouteCall[]> {
  const calls = await Promise.all(AUTH_ROUTES.map((route) => callRoute(baseUrl, route, headers)));
  return calls.filter((call) => call.status !== 401 && call.status !== 403);
}
