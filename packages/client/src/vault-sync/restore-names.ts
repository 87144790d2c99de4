/**
 * Where a restored file goes, from the name sealed in its manifest: a relative path with `/` separators,
 * made safe on every OS (no absolute paths, no `..`, no characters Windows refuses, no control characters),
 * and the ` (1)`, ` (2)` names used when a different file already has the name. Also the date a manifest
 * records, for restoring a date range. Pure: no I/O.
 * Must never produce a path that leaves the restore folder.
 */
import type { FileMetadata } from '@photosync/crypto';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;

function safeSegment(segment: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = segment.replace(/[<>:"|?*\u0000-\u001f\u007f]/g, '_').replace(/[. ]+$/, '');
  return WINDOWS_RESERVED.test(cleaned) ? `_${cleaned}` : cleaned;
}

/**
 * A safe relative path for a manifest's filename (another writer may have sealed anything there); falls back
 * to `unnamed-<id prefix>` when nothing usable is left.
 */
export function restorePathOf(filename: string, manifestId: string): string {
  const segments = filename
    .split(/[\\/]+/)
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
    .map(safeSegment)
    .filter((segment) => segment !== '');
  return segments.length > 0 ? segments.join('/') : `unnamed-${manifestId.slice(0, 16)}`;
}

/** `dir/IMG_1.jpg` → `dir/IMG_1 (n).jpg`; n = 0 is the name itself. */
export function withSuffix(path: string, n: number): string {
  if (n === 0) return path;
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  const hasExtension = dot > slash + 1;
  const stem = hasExtension ? path.slice(0, dot) : path;
  const extension = hasExtension ? path.slice(dot) : '';
  return `${stem} (${n})${extension}`;
}

/** `YYYY:MM:DD HH:MM:SS` (EXIF) or ISO text to epoch milliseconds (EXIF local time read as UTC). */
function parseDateText(text: string): number | undefined {
  const exif = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text);
  const iso = exif ? `${exif[1]}-${exif[2]}-${exif[3]}T${exif[4]}:${exif[5]}:${exif[6]}Z` : text;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The date a manifest records for its file, in epoch milliseconds: `creationTime` (what phones and we
 * write), else the EXIF capture time; undefined when neither is there.
 */
export function recordedTimeOf(metadata: FileMetadata): number | undefined {
  if (metadata.creationTime !== null) return metadata.creationTime;
  const captured = metadata.exifCaptureTime;
  if (typeof captured === 'number') return captured;
  return typeof captured === 'string' ? parseDateText(captured) : undefined;
}

/** Inside [from, to] (both inclusive, either open). A file without a date is only in an unbounded range. */
export function inDateRange(time: number | undefined, from: Date | undefined, to: Date | undefined): boolean {
  if (from === undefined && to === undefined) return true;
  if (time === undefined) return false;
  return (from === undefined || time >= from.getTime()) && (to === undefined || time <= to.getTime());
}
