/**
 * Turning raw EXIF tags (from exifr with values unrevived, or `exiftool -j -n`; both use the same tag names)
 * into the fields we store: capture time with its UTC offset, orientation, camera, GPS position.
 * Pure functions; anything implausible is dropped rather than stored.
 */

export type Tags = Readonly<Record<string, unknown>>;

export interface CaptureTime {
  /** ISO 8601 as the camera's clock read it, with its offset when the file records one. */
  readonly iso: string;
  /** The instant in epoch ms; a time without offset is placed as if it were UTC. */
  readonly ms: number;
  readonly source: 'exif' | 'exif-local';
}

export interface ExifFields {
  readonly capturedAt: CaptureTime | null;
  readonly orientation: number | null;
  readonly make: string | null;
  readonly model: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?/;
const OFFSET = /^(?:Z|[+-]\d{2}:\d{2})$/;

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // eslint-disable-next-line no-control-regex
  const cleaned = value.replace(/\u0000/g, '').trim();
  return cleaned === '' ? null : cleaned.slice(0, 200);
}

/** "2021:06:15 14:30:00" + "+02:00" (+ sub-seconds) → a capture time, or null for a missing or zero date. */
export function captureTime(date: unknown, offset: unknown, subSeconds?: unknown): CaptureTime | null {
  const match = EXIF_DATE.exec(text(date) ?? '');
  if (!match) return null;
  const [, year = '', month = '', day = '', hour = '', minute = '', second = '', inlineFraction] = match;
  if (Number(year) < 1800 || Number(month) < 1 || Number(month) > 12 || Number(day) < 1) return null;
  const fractionSource = inlineFraction ?? (typeof subSeconds === 'number' ? String(subSeconds) : text(subSeconds));
  const fraction =
    fractionSource && /^\d+$/.test(fractionSource) ? `.${fractionSource.padEnd(3, '0').slice(0, 3)}` : '';
  const zone = text(offset);
  const validZone = zone !== null && OFFSET.test(zone) ? zone : null;
  const local = `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}`;
  const ms = Date.parse(`${local}${validZone ?? 'Z'}`);
  if (!Number.isFinite(ms)) return null;
  return validZone ? { iso: `${local}${validZone}`, ms, source: 'exif' } : { iso: local, ms, source: 'exif-local' };
}

/** Degrees from a decimal number or [degrees, minutes, seconds], signed by its N/S/E/W reference. */
export function coordinate(value: unknown, reference: unknown, limit: number): number | null {
  let degrees: number | null = null;
  if (typeof value === 'number') degrees = value;
  else if (Array.isArray(value) && value.every((part) => typeof part === 'number')) {
    const [d = 0, m = 0, s = 0] = value;
    degrees = d + m / 60 + s / 3600;
  }
  if (degrees === null || !Number.isFinite(degrees) || Math.abs(degrees) > limit) return null;
  const ref = text(reference)?.toUpperCase();
  if ((ref === 'S' || ref === 'W') && degrees > 0) degrees = -degrees;
  return Math.round(degrees * 1e7) / 1e7;
}

function orientationOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 8 ? value : null;
}

export function exifFields(tags: Tags): ExifFields {
  const capturedAt =
    captureTime(tags['DateTimeOriginal'], tags['OffsetTimeOriginal'], tags['SubSecTimeOriginal']) ??
    captureTime(tags['CreateDate'], tags['OffsetTimeDigitized'] ?? tags['OffsetTime'], tags['SubSecTimeDigitized']);
  let latitude = coordinate(tags['GPSLatitude'] ?? tags['latitude'], tags['GPSLatitudeRef'], 90);
  let longitude = coordinate(tags['GPSLongitude'] ?? tags['longitude'], tags['GPSLongitudeRef'], 180);
  // Cameras without a fix often write 0/0: that is "unknown", not the Gulf of Guinea.
  if (latitude === null || longitude === null || (latitude === 0 && longitude === 0)) {
    latitude = null;
    longitude = null;
  }
  return {
    capturedAt,
    orientation: orientationOf(tags['Orientation']),
    make: text(tags['Make']),
    model: text(tags['Model']),
    latitude,
    longitude,
  };
}

/** True when the tags hold anything we store (an empty or failed parse means: try another reader). */
export function hasUsefulTags(fields: ExifFields): boolean {
  return (
    fields.capturedAt !== null ||
    fields.orientation !== null ||
    fields.make !== null ||
    fields.model !== null ||
    fields.latitude !== null
  );
}
