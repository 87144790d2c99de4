/** Administrator: pair a phone, storage, server version and updates, accounts and their quotas. */
import { Accounts } from './Accounts.tsx';
import { Pairing } from './Pairing.tsx';
import { ServerPanel } from './ServerPanel.tsx';

export function AdminPage() {
  return (
    <section className="page admin" aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      <Pairing />
      <ServerPanel />
      <Accounts />
    </section>
  );
}
