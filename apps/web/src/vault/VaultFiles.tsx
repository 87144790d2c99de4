/** The unlocked vault's files, a page at a time, each downloadable decrypted. */
import { useCallback, useEffect, useState } from 'react';
import { explain } from '../app/api.ts';
import { formatBytes, formatDateTime } from '../ui/format.ts';
import { decryptToBlob, listVaultFiles, type VaultFile } from './vault-files.ts';
import type { UnlockedVault } from './vault-keys.ts';

const PAGE = 100;

function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function FileRow({ vault, file }: { readonly vault: UnlockedVault; readonly file: VaultFile }) {
  const [progress, setProgress] = useState<number>();
  const [error, setError] = useState<string>();
  const download = () => {
    setError(undefined);
    setProgress(0);
    decryptToBlob(vault, file, setProgress)
      .then(
        (blob) => saveBlob(blob, file.filename),
        (failure: unknown) => setError(explain(failure)),
      )
      .finally(() => setProgress(undefined));
  };
  return (
    <li data-vault-file={file.filename}>
      <div>
        <strong>{file.filename}</strong>
        <br />
        <span className="hint">
          {formatBytes(file.size)}
          {file.creationTime !== null && ` · ${formatDateTime(new Date(file.creationTime).toISOString())}`}
        </span>
        {error && (
          <span role="alert" className="error">
            {' '}
            {error}
          </span>
        )}
      </div>
      {progress === undefined ? (
        <button type="button" onClick={download} aria-label={`Download ${file.filename}`}>
          Download
        </button>
      ) : (
        <progress max={file.size || 1} value={progress} aria-label={`Decrypting ${file.filename}`} />
      )}
    </li>
  );
}

export function VaultFiles({ vault }: { readonly vault: UnlockedVault }) {
  const [files, setFiles] = useState<VaultFile[]>([]);
  const [offset, setOffset] = useState(0);
  const [total, setTotal] = useState<number>();
  const [unreadable, setUnreadable] = useState(0);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const more = useCallback(
    (from: number) => {
      setBusy(true);
      listVaultFiles(vault, from, PAGE)
        .then(
          (page) => {
            setFiles((old) => (from === 0 ? page.files : [...old, ...page.files]));
            setTotal(page.total);
            setUnreadable((old) => (from === 0 ? page.unreadable : old + page.unreadable));
            setOffset(from + PAGE);
          },
          (failure: unknown) => setError(explain(failure)),
        )
        .finally(() => setBusy(false));
    },
    [vault],
  );

  useEffect(() => more(0), [more]);

  return (
    <section aria-labelledby="vault-files-title">
      <h2 id="vault-files-title">Files ({vault.format === 'v2' ? 'PhotoSync format' : 'original app format'})</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {total === 0 && <p>The vault is empty.</p>}
      <ul className="vault-files">
        {files.map((file) => (
          <FileRow key={file.manifestId} vault={vault} file={file} />
        ))}
      </ul>
      {unreadable > 0 && (
        <p className="hint">{unreadable} files are in the other format or do not open with this key.</p>
      )}
      {total !== undefined && offset < total && (
        <button type="button" onClick={() => more(offset)} disabled={busy}>
          Show more
        </button>
      )}
      {busy && <p aria-live="polite">Loading…</p>}
    </section>
  );
}
