/** Change the password: every other device is signed out, this tab carries on with its new token. */
import { useState, type FormEvent } from 'react';
import { api, explain } from '../app/api.ts';
import { setSession, type Session } from '../app/session-store.ts';

export function ChangePassword({ session }: { readonly session: Session }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'done'; text: string }>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (next !== repeat) {
      setMessage({ kind: 'error', text: 'The new passwords do not match.' });
      return;
    }
    setBusy(true);
    setMessage(undefined);
    api()
      .account.changePassword(current, next)
      .then(
        ({ token }) => {
          setSession({ ...session, token });
          setCurrent('');
          setNext('');
          setRepeat('');
          setMessage({ kind: 'done', text: 'Password changed. Every other device has been signed out.' });
        },
        (failure: unknown) => setMessage({ kind: 'error', text: explain(failure) }),
      )
      .finally(() => setBusy(false));
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <label>
        Current password
        <input
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </label>
      <label>
        New password
        <input
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
      </label>
      <label>
        New password again
        <input
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
        />
      </label>
      <p className="hint">
        Phones and other browsers are signed out and must sign in again. A StealthCloud vault made by PhotoSync (v2)
        keeps its own password; phones using the original format derive their vault key from this password.
      </p>
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind}>
          {message.text}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        Change password
      </button>
    </form>
  );
}
