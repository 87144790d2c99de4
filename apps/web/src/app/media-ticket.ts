/**
 * Media URLs for `<img>` and `<video>`, which cannot send the Authorization header.
 * [Note: web media URLs] The app asks the server for a read-only media ticket (see the server's
 * [Note: media tickets]) and appends it as `?ticket=`. The server hands out the same ticket for an hour, so
 * URLs, and with them the browser's image cache, stay stable; the app fetches a new one before it expires.
 * Video elements then stream and seek with ordinary Range requests. Blob URLs were the alternative: they
 * would need the whole video downloaded before playing, and cannot seek into a 4 GB file.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { api } from './api.ts';
import { currentSession, useSession } from './session-store.ts';

interface Held {
  readonly ticket: string;
  readonly expiresAt: number;
  readonly forToken: string;
}

let held: Held | undefined;
let loading: Promise<void> | undefined;
const listeners = new Set<() => void>();
/** Renew this long before expiry (tickets live at least one hour after they are issued). */
const RENEW_BEFORE_MS = 30 * 60_000;

async function renew(): Promise<void> {
  const session = currentSession();
  if (!session) return;
  const { ticket, expiresAt } = await api().account.mediaTicket();
  held = { ticket, expiresAt: Date.parse(expiresAt), forToken: session.token };
  for (const listener of listeners) listener();
}

function fresh(): boolean {
  const session = currentSession();
  return held !== undefined && held.forToken === session?.token && held.expiresAt - Date.now() > RENEW_BEFORE_MS;
}

function ensure(): void {
  if (fresh() || loading) return;
  loading = renew()
    .catch(() => undefined)
    .finally(() => {
      loading = undefined;
    });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current media ticket (undefined until the first one arrived); renewed in the background. */
export function useMediaTicket(): string | undefined {
  const ticket = useSyncExternalStore(subscribe, () =>
    held?.forToken === currentSession()?.token ? held?.ticket : undefined,
  );
  // A new session token (sign-in, password change) needs a new ticket at once: the old one is dead.
  const token = useSession()?.token;
  useEffect(() => {
    ensure();
    const timer = window.setInterval(ensure, 60_000);
    return () => window.clearInterval(timer);
  }, [token]);
  return ticket;
}

const path = (filename: string) => `/api/files/${encodeURIComponent(filename)}`;

export function originalUrl(filename: string, ticket: string): string {
  return `${path(filename)}?ticket=${encodeURIComponent(ticket)}`;
}

export function imageUrl(variant: 'thumbnail' | 'preview', filename: string, sha256: string, ticket: string): string {
  return `/api/v2/files/${encodeURIComponent(filename)}/${variant}?v=${sha256}&ticket=${encodeURIComponent(ticket)}`;
}
