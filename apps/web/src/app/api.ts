/**
 * The one API client of the web app (same origin, the tab's session), plus typed GETs for routes that the
 * shared client does not wrap, and how errors reach the person: an expired session signs out, anything else
 * becomes a sentence.
 */
import type { z } from 'zod';
import { ApiError, ProtocolError, createClient, type PhotoSyncClient } from '@photosync/client';
import { currentSession, setSession } from './session-store.ts';

const client: PhotoSyncClient = createClient({
  baseUrl: window.location.origin,
  auth: () => {
    const session = currentSession();
    return session ? { token: session.token, deviceUuid: session.deviceUuid } : undefined;
  },
});

export function api(): PhotoSyncClient {
  return client;
}

export function authHeaders(): Record<string, string> {
  const session = currentSession();
  return session ? { authorization: `Bearer ${session.token}`, 'x-device-uuid': session.deviceUuid } : {};
}

/** GET a JSON route as the signed-in device and validate the answer. */
export async function getJson<S extends z.ZodType>(schema: S, path: string, signal?: AbortSignal): Promise<z.infer<S>> {
  const response = await fetch(path, { headers: authHeaders(), ...(signal ? { signal } : {}) });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const fields = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; code?: unknown };
    throw new ApiError(
      response.status,
      typeof fields.code === 'string' ? fields.code : undefined,
      typeof fields.error === 'string' ? fields.error : `HTTP ${response.status}`,
      body,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ProtocolError(`Unexpected answer from ${path}`);
  return parsed.data;
}

const SESSION_ENDED = new Set(['INVALID_TOKEN', 'NO_TOKEN', 'DEVICE_MISMATCH']);

/** A sentence for the person; signs the tab out when the server no longer accepts its session. */
export function explain(error: unknown): string {
  if (error instanceof ApiError) {
    if (SESSION_ENDED.has(error.code ?? '')) {
      setSession(undefined);
      return 'Your session ended. Please sign in again.';
    }
    return error.message;
  }
  if (error instanceof DOMException && error.name === 'AbortError') return 'Cancelled.';
  if (error instanceof TypeError) return 'The server could not be reached. Check the connection and try again.';
  return error instanceof Error ? error.message : String(error);
}
