/** The app shell: sign-in when signed out; otherwise the navigation and the current page. */
import { useCallback, useEffect, useState } from 'react';
import { AccountPage } from '../account/AccountPage.tsx';
import { AdminPage } from '../admin/AdminPage.tsx';
import { SignInPage } from '../auth/SignInPage.tsx';
import { TimelinePage } from '../timeline/TimelinePage.tsx';
import { useUploadQueue } from '../upload/upload-queue.ts';
import { UploadPage } from '../upload/UploadPage.tsx';
import { VaultPage } from '../vault/VaultPage.tsx';
import { api } from './api.ts';
import { Nav } from './Nav.tsx';
import { usePage } from './router.ts';
import { setSession, useSession } from './session-store.ts';

export function App() {
  const session = useSession();
  const page = usePage();
  const [timelineVersion, setTimelineVersion] = useState(0);
  const onStored = useCallback(() => setTimelineVersion((version) => version + 1), []);
  const uploads = useUploadQueue(onStored);

  // A session restored from sessionStorage may have been revoked meanwhile.
  useEffect(() => {
    if (session)
      api()
        .account.me()
        .catch(() => setSession(undefined));
    // Only once per tab load.
  }, []);

  useEffect(() => {
    document.title = `PhotoSync · ${page[0]?.toUpperCase()}${page.slice(1)}`;
  }, [page]);

  if (!session) return <SignInPage />;
  return (
    <div className={page === 'timeline' ? 'shell fill-screen' : 'shell'}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Nav page={page} session={session} uploads={uploads.entries} />
      <main id="main" tabIndex={-1}>
        {page === 'timeline' && <TimelinePage libraryVersion={timelineVersion} />}
        {page === 'upload' && <UploadPage queue={uploads} />}
        {page === 'vault' && <VaultPage session={session} />}
        {page === 'account' && <AccountPage session={session} />}
        {page === 'admin' &&
          (session.isAdmin ? <AdminPage /> : <p className="page">Only the administrator can see this page.</p>)}
      </main>
    </div>
  );
}
