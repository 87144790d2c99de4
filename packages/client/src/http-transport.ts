/**
 * The transport under every client call: base URL, auth headers, JSON parsing with runtime validation.
 * Platform-neutral: it only needs a WHATWG `fetch` (Node ≥ 20, browsers, React Native), plus, optionally, a
 * platform's cheaper way to stream a body of known length (`sendSizedBody`, see ./sized-body.ts).
 */
import type { z } from 'zod';
import { ApiError, ProtocolError } from './api-error.ts';
import { isSizedBody, sendWithFetch, type SendSizedBody, type SizedBody } from './sized-body.ts';

/** Credentials of a signed-in device; a function lets a UI swap sessions without a new client. */
export interface Auth {
  readonly token: string;
  readonly deviceUuid: string;
}
export type AuthSource = Auth | (() => Auth | undefined) | undefined;

export interface TransportOptions {
  readonly baseUrl: string;
  readonly fetch?: typeof globalThis.fetch;
  readonly auth?: AuthSource;
  /** Sends `SizedBody` requests (uploads); default: a ReadableStream through `fetch`. */
  readonly sendSizedBody?: SendSizedBody;
}

/** Anything fetch accepts as a request body, or a body of known length streamed when sent. */
export type Body = NonNullable<RequestInit['body']> | SizedBody;

/** Where another HTTP library (tus-js-client) sends requests as this client. */
export interface Endpoint {
  readonly endpoint: string;
  readonly fetch: typeof globalThis.fetch;
  readonly sendSizedBody: SendSizedBody;
  headers(): Record<string, string>;
}

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly query?: Record<string, string | number | undefined>;
  readonly json?: unknown;
  readonly body?: Body;
  readonly headers?: Record<string, string>;
  readonly auth?: boolean;
  readonly signal?: AbortSignal;
}

export class HttpTransport {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly sendSized: SendSizedBody;

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.sendSized = options.sendSizedBody ?? sendWithFetch(this.fetchImpl);
  }

  /** Send a request; throw ApiError unless the status is 2xx/304. */
  async send(spec: RequestSpec): Promise<Response> {
    const url = new URL(this.baseUrl + spec.path);
    for (const [key, value] of Object.entries(spec.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.auth !== false) Object.assign(headers, this.authHeaders());
    let body = spec.body;
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.json);
    }
    let response: Response;
    if (isSizedBody(body)) {
      response = await this.sendSized({
        url,
        method: spec.method,
        headers,
        body,
        ...(spec.signal ? { signal: spec.signal } : {}),
      });
    } else {
      const init: RequestInit & { duplex?: 'half' } = { method: spec.method, headers };
      if (body !== undefined) init.body = body;
      if (body instanceof ReadableStream) init.duplex = 'half';
      if (spec.signal) init.signal = spec.signal;
      response = await this.fetchImpl(url, init);
    }
    if (!response.ok && response.status !== 304) throw await toApiError(response);
    return response;
  }

  /** Send and validate the JSON answer against `schema`. */
  async json<S extends z.ZodType>(schema: S, spec: RequestSpec): Promise<z.infer<S>> {
    const response = await this.send(spec);
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success)
      throw new ProtocolError(`Unexpected answer from ${spec.method} ${spec.path}: ${parsed.error.message}`);
    return parsed.data;
  }

  /**
   * What another HTTP library (tus-js-client) needs to send requests as this client: the absolute URL of
   * `path`, this client's fetch and body sender, and its current auth headers.
   */
  endpoint(path: string): Endpoint {
    return {
      endpoint: this.baseUrl + path,
      fetch: this.fetchImpl,
      sendSizedBody: this.sendSized,
      headers: () => this.authHeaders(),
    };
  }

  private authHeaders(): Record<string, string> {
    const source = this.options.auth;
    const auth = typeof source === 'function' ? source() : source;
    return auth ? { authorization: `Bearer ${auth.token}`, 'x-device-uuid': auth.deviceUuid } : {};
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // A non-JSON error (a proxy's HTML page, say): keep the text.
  }
  const fields = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; code?: unknown };
  const message = typeof fields.error === 'string' ? fields.error : `HTTP ${response.status}`;
  return new ApiError(response.status, typeof fields.code === 'string' ? fields.code : undefined, message, body);
}
