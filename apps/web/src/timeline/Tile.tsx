/** One square of the timeline grid: a button showing the file's thumbnail (or why there is none yet). */
import type { TimelineItem } from '@photosync/protocol';
import { imageUrl } from '../app/media-ticket.ts';
import { formatCaptureTime, formatDuration } from '../ui/format.ts';

export interface TileProps {
  readonly item: TimelineItem;
  readonly ticket: string | undefined;
  readonly onOpen: () => void;
}

function fallbackText(item: TimelineItem): string {
  switch (item.thumb) {
    case 'pending':
      return 'Processing…';
    case 'failed':
      return 'No preview';
    case 'none':
      return item.filename.split('.').pop()?.toUpperCase() ?? 'File';
    case 'placeholder':
    case 'ready':
      return item.kind === 'video' ? 'Video' : 'Photo';
  }
}

export function Tile({ item, ticket, onOpen }: TileProps) {
  const shown = (item.thumb === 'ready' || item.thumb === 'placeholder') && ticket !== undefined;
  const label = `${item.kind === 'video' ? 'Video' : 'Photo'} ${item.filename}, ${formatCaptureTime(item.capturedAt)}`;
  return (
    <button
      type="button"
      className="tile"
      onClick={onOpen}
      aria-label={label}
      data-filename={item.filename}
      data-thumb={item.thumb}
    >
      {shown ? (
        <img
          src={imageUrl('thumbnail', item.filename, item.sha256, ticket)}
          alt=""
          loading="lazy"
          decoding="async"
          draggable={false}
        />
      ) : (
        <span className="tile-fallback">{fallbackText(item)}</span>
      )}
      {item.kind === 'video' && (
        <span className="tile-badge" aria-hidden="true">
          ▶ {item.durationMs === null ? '' : formatDuration(item.durationMs)}
        </span>
      )}
    </button>
  );
}

export function LoadingTile() {
  return <span className="tile tile-loading" aria-hidden="true" />;
}
