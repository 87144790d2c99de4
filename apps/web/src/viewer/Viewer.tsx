/**
 * One photo or video, full screen: the preview image (the original on demand), video playback that streams
 * and seeks with Range requests, details, download, and delete after a confirmation.
 * Media URLs carry the tab's media ticket ([Note: web media URLs]).
 */
import { useEffect, useState } from 'react';
import type { TimelineItem } from '@photosync/protocol';
import { api, explain } from '../app/api.ts';
import { imageUrl, originalUrl } from '../app/media-ticket.ts';
import { ConfirmDialog, Dialog } from '../ui/Dialog.tsx';
import { formatBytes, formatCaptureTime } from '../ui/format.ts';
import { MediaDetails } from './MediaDetails.tsx';

/** Originals a browser can show in an <img>; HEIC and RAW files are shown through their preview only. */
const BROWSER_IMAGES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);

export interface ViewerProps {
  readonly item: TimelineItem;
  readonly ticket: string | undefined;
  readonly onClose: () => void;
  readonly onPrevious: (() => void) | undefined;
  readonly onNext: (() => void) | undefined;
  readonly onDeleted: () => void;
}

export function Viewer({ item, ticket, onClose, onPrevious, onNext, onDeleted }: ViewerProps) {
  const [showOriginal, setShowOriginal] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    setShowOriginal(false);
    setError(undefined);
  }, [item.filename]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLVideoElement || confirming) return;
      if (event.key === 'ArrowLeft') onPrevious?.();
      if (event.key === 'ArrowRight') onNext?.();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onPrevious, onNext, confirming]);

  const remove = () => {
    setDeleting(true);
    api()
      .deleteFile(item.filename)
      .then(onDeleted, (failure: unknown) => {
        setError(explain(failure));
        setDeleting(false);
        setConfirming(false);
      });
  };

  const canShowOriginal = item.kind === 'photo' && BROWSER_IMAGES.has(item.mime);
  const hasPreview = item.thumb === 'ready' || item.thumb === 'placeholder';
  return (
    <Dialog title={`Viewer: ${item.filename}`} onClose={onClose} size="viewer">
      <div className="viewer">
        <header className="viewer-bar">
          <h2 className="viewer-title" title={item.filename}>
            {item.filename}
          </h2>
          <button type="button" onClick={onClose} aria-label="Close viewer">
            ✕
          </button>
        </header>
        <div className="viewer-stage">
          {ticket === undefined ? (
            <p>Loading…</p>
          ) : item.kind === 'video' ? (
            <video
              key={item.filename}
              src={originalUrl(item.filename, ticket)}
              poster={hasPreview ? imageUrl('preview', item.filename, item.sha256, ticket) : undefined}
              controls
              preload="metadata"
              playsInline
            />
          ) : showOriginal ? (
            <img src={originalUrl(item.filename, ticket)} alt={item.filename} />
          ) : hasPreview ? (
            <img src={imageUrl('preview', item.filename, item.sha256, ticket)} alt={item.filename} />
          ) : (
            <p className="no-preview">
              {item.thumb === 'pending' ? 'The preview is being made…' : 'No preview for this file.'}
            </p>
          )}
        </div>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <p className="viewer-meta">
          {formatCaptureTime(item.capturedAt)} · {formatBytes(item.size)}
        </p>
        <footer className="viewer-bar viewer-actions">
          <button type="button" onClick={onPrevious} disabled={!onPrevious} aria-label="Previous">
            ‹
          </button>
          {canShowOriginal && !showOriginal && (
            <button type="button" onClick={() => setShowOriginal(true)}>
              Show original
            </button>
          )}
          {ticket !== undefined && (
            <a className="button" href={originalUrl(item.filename, ticket)} download={item.filename}>
              Download
            </a>
          )}
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Delete
          </button>
          <button type="button" onClick={onNext} disabled={!onNext} aria-label="Next">
            ›
          </button>
        </footer>
        <MediaDetails filename={item.filename} />
      </div>
      {confirming && (
        <ConfirmDialog
          title="Delete this file?"
          message={`${item.filename} will be deleted from the server. This cannot be undone.`}
          confirmLabel="Delete"
          busy={deleting}
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        />
      )}
    </Dialog>
  );
}
