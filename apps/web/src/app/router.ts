/**
 * A tiny router over the History API: the app's pages are real paths (/timeline, /upload, /vault,
 * /account, /admin), which the server answers with index.html, so reloads and bookmarks work.
 */
import { useSyncExternalStore } from 'react';

export type Page = 'timeline' | 'upload' | 'vault' | 'account' | 'admin';
export const PAGES: readonly Page[] = ['timeline', 'upload', 'vault', 'account', 'admin'];

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function pageOf(pathname: string): Page {
  const first = pathname.split('/')[1] ?? '';
  return (PAGES as readonly string[]).includes(first) ? (first as Page) : 'timeline';
}

export function navigate(page: Page): void {
  if (pageOf(window.location.pathname) === page && window.location.pathname !== '/') return;
  window.history.pushState(null, '', `/${page}`);
  for (const listener of listeners) listener();
}

export function usePage(): Page {
  return useSyncExternalStore(subscribe, () => pageOf(window.location.pathname));
}
