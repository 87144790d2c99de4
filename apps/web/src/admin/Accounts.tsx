/** Every account with its usage, and its StealthCloud quota (empty = unlimited). */
import { useState, type FormEvent } from 'react';
import { api, explain } from '../app/api.ts';
import { formatBytes } from '../ui/format.ts';
import { useLoad } from '../ui/use-load.ts';

const GB = 1e9;

function QuotaForm({
  id,
  quotaBytes,
  onSaved,
}: {
  readonly id: number;
  readonly quotaBytes: number | null;
  readonly onSaved: () => void;
}) {
  const [value, setValue] = useState(quotaBytes === null ? '' : String(quotaBytes / GB));
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const quota = value.trim() === '' ? null : Math.round(Number(value) * GB);
    if (quota !== null && (!Number.isFinite(quota) || quota < 0)) {
      setError('Enter a number of GB, or leave empty for unlimited.');
      return;
    }
    api()
      .admin.setQuota(id, quota)
      .then(onSaved, (failure: unknown) => setError(explain(failure)));
  };
  return (
    <form className="quota" onSubmit={submit}>
      <label>
        Quota (GB)
        <input
          inputMode="decimal"
          value={value}
          placeholder="unlimited"
          onChange={(e) => setValue(e.target.value)}
          size={8}
        />
      </label>
      <button type="submit">Save</button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </form>
  );
}

export function Accounts() {
  const accounts = useLoad(() => api().admin.accounts(), []);
  return (
    <section className="card" aria-labelledby="accounts-title">
      <h2 id="accounts-title">Accounts</h2>
      {accounts.error && (
        <p role="alert" className="error">
          {accounts.error}
        </p>
      )}
      <div className="table-scroll">
        <table className="accounts-table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Library</th>
              <th scope="col">StealthCloud</th>
              <th scope="col">Quota</th>
            </tr>
          </thead>
          <tbody>
            {accounts.data?.accounts.map((account) => (
              <tr key={account.id}>
                <td>
                  {account.email}
                  {account.isAdmin && <span className="badge"> admin</span>}
                </td>
                <td data-label="Library">
                  {account.libraryFiles} files · {formatBytes(account.libraryBytes)}
                </td>
                <td data-label="StealthCloud">{formatBytes(account.vaultBytes)}</td>
                <td>
                  <QuotaForm id={account.id} quotaBytes={account.quotaBytes} onSaved={accounts.reload} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
