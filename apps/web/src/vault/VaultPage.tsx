/**
 * StealthCloud in the browser: unlock with the password, list the vault's files and download them decrypted.
 * See [Note: zero-knowledge web vault] — the key never leaves this page.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { explain } from '../app/api.ts';
import type { Session } from '../app/session-store.ts';
import { VaultFiles } from './VaultFiles.tsx';
import { unlockVault, type UnlockedVault } from './vault-keys.ts';

export function VaultPage({ session }: { readonly session: Session }) {
  const [vault, setVault] = useState<UnlockedVault>();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  // Leaving the page locks the vault: the key is zeroed, not just dropped.
  useEffect(
    () => () => {
      vault?.masterKey.fill(0);
    },
    [vault],
  );

  const unlock = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    unlockVault(session.email, password)
      .then(setVault, (failure: unknown) => setError(explain(failure)))
      .finally(() => {
        setBusy(false);
        setPassword('');
      });
  };

  return (
    <section className="page vault" aria-labelledby="vault-title">
      <h1 id="vault-title">StealthCloud</h1>
      <p className="hint">
        End-to-end encrypted backups. Files are decrypted here, in this browser: your password and key are never sent to
        the server, which only stores ciphertext.
      </p>
      {vault ? (
        <>
          <button type="button" onClick={() => setVault(undefined)}>
            Lock the vault
          </button>
          <VaultFiles vault={vault} />
        </>
      ) : (
        <form className="card" onSubmit={unlock} aria-labelledby="unlock-title">
          <h2 id="unlock-title">Unlock</h2>
          <label>
            StealthCloud password
            <input
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <p className="hint">
            The vault password you chose in PhotoSync, or your account password for a vault made by the original phone
            app. Unlocking takes a few seconds.
          </p>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
        </form>
      )}
    </section>
  );
}
