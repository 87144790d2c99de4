/**
 * Upload from this device: drop files anywhere on the drop area or pick them (on a phone the picker offers
 * the camera roll), then watch each file and the whole batch. Files the library already has are reported as
 * "already backed up" and not sent again.
 */
import { useState, type DragEvent } from 'react';
import { formatBytes } from '../ui/format.ts';
import { totals, type UploadEntry, type UploadQueue } from './upload-queue.ts';

const STATUS_TEXT: Record<UploadEntry['status'], string> = {
  waiting: 'Waiting',
  hashing: 'Checking',
  uploading: 'Uploading',
  done: 'Backed up',
  duplicate: 'Already backed up',
  failed: 'Failed',
};

function percent(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.min(100, Math.round((part / whole) * 100));
}

/** The queue lives in the app shell, so uploads carry on while the person looks at other pages. */
export function UploadPage({ queue }: { readonly queue: UploadQueue }) {
  const [dragging, setDragging] = useState(false);
  const sum = totals(queue.entries);

  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setDragging(false);
    queue.add(event.dataTransfer.files);
  };

  return (
    <section className="page upload" aria-labelledby="upload-title">
      <h1 id="upload-title">Upload</h1>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop photos and videos here, or</p>
        <label className="button primary file-picker">
          Choose files
          <input
            type="file"
            multiple
            accept="image/*,video/*"
            onChange={(event) => {
              if (event.target.files) queue.add(event.target.files);
              event.target.value = '';
            }}
          />
        </label>
        <p className="hint">Uploads resume where they stopped if the connection drops.</p>
      </div>
      {queue.entries.length > 0 && (
        <>
          <div className="total-progress">
            <p id="total-label">
              {sum.finished} of {queue.entries.length} files · {formatBytes(sum.done)} of {formatBytes(sum.total)}
            </p>
            <progress aria-labelledby="total-label" max={100} value={percent(sum.done, sum.total)} />
          </div>
          <ul className="upload-list" aria-label="Files">
            {queue.entries.map((entry) => (
              <UploadRow key={entry.id} entry={entry} onRetry={() => queue.retry(entry)} />
            ))}
          </ul>
          <button type="button" onClick={queue.clearFinished}>
            Clear finished
          </button>
        </>
      )}
    </section>
  );
}

function UploadRow({ entry, onRetry }: { readonly entry: UploadEntry; readonly onRetry: () => void }) {
  const value = entry.status === 'done' || entry.status === 'duplicate' ? 100 : percent(entry.bytes, entry.file.size);
  return (
    <li className={`upload-row status-${entry.status}`} data-file={entry.file.name} data-status={entry.status}>
      <span className="upload-name">{entry.file.name}</span>
      <span className="upload-size">{formatBytes(entry.file.size)}</span>
      <progress max={100} value={value} aria-label={`${entry.file.name} ${STATUS_TEXT[entry.status]}`} />
      <span className="upload-status">
        {STATUS_TEXT[entry.status]}
        {entry.status === 'duplicate' && entry.note && entry.note !== entry.file.name ? ` as ${entry.note}` : ''}
        {entry.status === 'failed' && entry.note ? `: ${entry.note}` : ''}
      </span>
      {entry.status === 'failed' && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </li>
  );
}
