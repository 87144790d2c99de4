/** Sign in, or create an account (the first account on a server becomes its administrator). */
import { useState, type FormEvent } from 'react';
import { explain } from '../app/api.ts';
import { signIn, type Mode } from './sign-in.ts';

export function SignInPage() {
  const [mode, setMode] = useState<Mode>('sign-in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    signIn(mode, email.trim(), password).catch((failure: unknown) => {
      setError(explain(failure));
      setBusy(false);
    });
  };

  const registering = mode === 'register';
  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <p className="brand" aria-hidden="true">
          PhotoSync
        </p>
        <h1 id="sign-in-title">{registering ? 'Create an account' : 'Sign in'}</h1>
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoFocus
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete={registering ? 'new-password' : 'current-password'}
            required
            minLength={registering ? 8 : undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {registering && <p className="hint">At least 8 characters.</p>}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Please wait…' : registering ? 'Create account' : 'Sign in'}
        </button>
        <button type="button" className="link" onClick={() => setMode(registering ? 'sign-in' : 'register')}>
          {registering ? 'I already have an account' : 'Create an account'}
        </button>
      </form>
    </main>
  );
}
