/** The shape of one documented route; the OpenAPI document is generated from a list of these. */
import type { z } from 'zod';

export type HttpMethod = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete' | 'options';

export type RequestBody =
  | { readonly kind: 'json'; readonly schema: z.ZodType }
  | { readonly kind: 'multipart'; readonly field: string; readonly description: string }
  | { readonly kind: 'binary'; readonly description: string };

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Non-JSON payloads: file bytes or plain text. */
  readonly content?: 'binary' | 'text';
  /** Response headers that carry the answer (tus offsets, the stored name of a resumable upload). */
  readonly headers?: Readonly<Record<string, HeaderSpec>>;
}

export interface HeaderSpec {
  readonly description: string;
  readonly required?: boolean;
}

export interface RouteSpec {
  readonly method: HttpMethod;
  /** OpenAPI path template, e.g. `/api/files/{filename}`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag:
    | 'compat: accounts'
    | 'compat: library'
    | 'compat: stealthcloud'
    | 'v2: library'
    | 'v2: resumable uploads'
    | 'v2: vault'
    | 'v2: admin'
    | 'v2: account'
    | 'v2: pairing'
    | 'web app'
    | 'server';
  /** Needs `Authorization: Bearer` and `X-Device-UUID`. */
  readonly auth: boolean;
  readonly body?: RequestBody;
  readonly query?: z.ZodObject;
  readonly params?: z.ZodObject;
  readonly headers?: Readonly<Record<string, HeaderSpec>>;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}
