/**
 * The signed-in session of this tab.
 * [Note: web session storage] The token lives in memory and in sessionStorage: a reload keeps the person
 * signed in, closing the tab signs them out, and other tabs and later visits never see it. localStorage
 * would keep a 30-day token on the disk of a shared computer; a cookie would be sent with every request
 * and invite cross-site request forgery. The device uuid (not a secret) lives in localStorage, so that this
 * browser stays one device in the account's device list across sign-ins.
 */
import { useSyncExternalStore } from 'react';

export interface Session {
  readonly token: string;
  readonly deviceUuid: string;
  readonly userId: number;
  readonly email: string;
  readonly isAdmin: boolean;
  readonly deviceId: number;
}

const KEY = 'photosync.session';
const listeners = new Set<() => void>();
let current: Session | undefined = load();

function load(): Session | undefined {
  try {
    const text = sessionStorage.getItem(KEY);
    return text ? (JSON.parse(text) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function currentSession(): Session | undefined {
  return current;
}

export function setSession(session: Session | undefined): void {
  current = session;
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | undefined {
  return useSyncExternalStore(subscribe, currentSession);
}
