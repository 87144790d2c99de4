/** The top bar: the app's pages as links, uploads in progress, and signing out. */
import type { MouseEvent } from 'react';
import type { UploadEntry } from '../upload/upload-queue.ts';
import { navigate, type Page } from './router.ts';
import { signOut } from '../auth/sign-in.ts';
import type { Session } from './session-store.ts';

const LINKS: readonly { page: Page; label: string; admin?: boolean }[] = [
  { page: 'timeline', label: 'Photos' },
  { page: 'upload', label: 'Upload' },
  { page: 'vault', label: 'StealthCloud' },
  { page: 'account', label: 'Account' },
  { page: 'admin', label: 'Admin', admin: true },
];

export function Nav(props: {
  readonly page: Page;
  readonly session: Session;
  readonly uploads: readonly UploadEntry[];
}) {
  const active = props.uploads.filter((entry) => ['waiting', 'hashing', 'uploading'].includes(entry.status)).length;
  const go = (page: Page) => (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(page);
  };
  return (
    <header className="top-bar">
      <span className="brand">PhotoSync</span>
      <nav aria-label="Main">
        <ul>
          {LINKS.filter((link) => !link.admin || props.session.isAdmin).map((link) => (
            <li key={link.page}>
              <a
                href={`/${link.page}`}
                onClick={go(link.page)}
                aria-current={props.page === link.page ? 'page' : undefined}
              >
                {link.label}
                {link.page === 'upload' && active > 0 && <span className="badge"> {active}</span>}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <button type="button" className="link sign-out" onClick={() => void signOut(props.session)}>
        Sign out
      </button>
    </header>
  );
}
