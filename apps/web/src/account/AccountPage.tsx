/** The signed-in account: change the password, see and revoke the devices that are signed in. */
import type { Session } from '../app/session-store.ts';
import { ChangePassword } from './ChangePassword.tsx';
import { Devices } from './Devices.tsx';

export function AccountPage({ session }: { readonly session: Session }) {
  return (
    <section className="page account" aria-labelledby="account-title">
      <h1 id="account-title">Account</h1>
      <p>
        Signed in as <strong>{session.email}</strong>
        {session.isAdmin ? ' (administrator)' : ''}.
      </p>
      <ChangePassword session={session} />
      <Devices />
    </section>
  );
}
