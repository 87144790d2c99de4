/**
 * Typed calls for the media routes (ours, /api/v2): the timeline by capture time, month buckets, one file's
 * metadata, thumbnails and previews, and which media tools the server has. JSON answers are validated with
 * the protocol schemas; images come back as the raw Response (200 or 304).
 */
import { AssetMetadata, MediaTools, TimelineMonths, TimelinePage } from '@photosync/protocol';
import type { HttpTransport } from './http-transport.ts';

export interface ImageRequest {
  /** Cache-busting version for the URL, normally the file's sha256 from the timeline. */
  readonly version?: string;
  /** An ETag from an earlier answer: the server replies 304 when it still matches. */
  readonly ifNoneMatch?: string;
  readonly signal?: AbortSignal;
}

const filePath = (filename: string, what: string): string => `/api/v2/files/${encodeURIComponent(filename)}/${what}`;

export function mediaApi(http: HttpTransport) {
  const image =
    (what: 'thumbnail' | 'preview') =>
    (filename: string, request: ImageRequest = {}) =>
      http.send({
        method: 'GET',
        path: filePath(filename, what),
        query: { v: request.version },
        headers: request.ifNoneMatch ? { 'if-none-match': request.ifNoneMatch } : {},
        ...(request.signal ? { signal: request.signal } : {}),
      });

  return {
    /** One page of the timeline, newest capture first; pass `nextCursor` back for the next page. */
    timeline: (page: { cursor?: string; limit?: number } = {}) =>
      http.json(TimelinePage, {
        method: 'GET',
        path: '/api/v2/timeline',
        query: { cursor: page.cursor, limit: page.limit },
      }),

    /** Number of files per capture month (`YYYY-MM`), newest first. */
    months: () => http.json(TimelineMonths, { method: 'GET', path: '/api/v2/timeline/months' }),

    /** Capture time, size, camera, GPS and the processing status (with a failure reason) of one file. */
    metadata: (filename: string) => http.json(AssetMetadata, { method: 'GET', path: filePath(filename, 'metadata') }),

    /** The grid thumbnail (WebP, fits 256 px): 200 with the bytes or 304. */
    thumbnail: image('thumbnail'),

    /** The preview (WebP, fits 1440 px): 200 with the bytes or 304. */
    preview: image('preview'),

    /** Which media tools the server found (ffmpeg missing → video placeholders). */
    tools: () => http.json(MediaTools, { method: 'GET', path: '/api/v2/server/media-tools' }),
  };
}
