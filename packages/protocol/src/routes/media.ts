/** Media routes (ours): timeline, months, metadata, thumbnails and previews, media tools. */
import { FilenameParams } from '../library.ts';
import { AssetMetadata, MediaTools, ThumbnailQuery, TimelineMonths, TimelinePage, TimelineQuery } from '../media.ts';
import type { RouteSpec } from '../route-spec.ts';
import { authErrors, error } from './shared.ts';

const imageDescription = (what: string): string =>
  `${what} as WebP, EXIF orientation applied. Cached as immutable for a year (\`Cache-Control: private, ` +
  'max-age=31536000, immutable`) with an ETag (If-None-Match → 304); since a name can later hold other ' +
  'content, add `?v=<sha256>` from the timeline. 404 `THUMBNAIL_PENDING` until it is made, ' +
  '`THUMBNAIL_FAILED` when it could not be (reason in the metadata), `NO_THUMBNAIL` for other files. ' +
  'Videos on a server without ffmpeg get a placeholder (header `X-Thumbnail-Placeholder: ffmpeg-missing`, ' +
  'not cached as immutable).';

const imageResponses = {
  200: { description: 'image/webp', content: 'binary' as const },
  304: { description: 'Not modified' },
  404: error('Unknown file, or no thumbnail (yet)'),
  ...authErrors,
};

export const mediaRoutes: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v2/timeline',
    summary: 'Files by capture time, newest first',
    description:
      'Keyset pagination: a cursor stays valid while files are added (no file is skipped or repeated because ' +
      'of an upload). A file sits at the time it was stored until its metadata is read, then moves to its ' +
      'capture time.',
    tag: 'v2: library',
    auth: true,
    query: TimelineQuery,
    responses: {
      200: { description: 'One page', schema: TimelinePage },
      ...authErrors,
      400: error('Invalid cursor or limit'),
    },
  },
  {
    method: 'get',
    path: '/api/v2/timeline/months',
    summary: 'Number of files per capture month, newest first',
    tag: 'v2: library',
    auth: true,
    responses: { 200: { description: 'Month buckets', schema: TimelineMonths }, ...authErrors },
  },
  {
    method: 'get',
    path: '/api/v2/files/{filename}/metadata',
    summary: 'Capture time, size, camera, place and the processing status of one file',
    tag: 'v2: library',
    auth: true,
    params: FilenameParams,
    responses: {
      200: { description: 'Metadata', schema: AssetMetadata },
      404: error('File not found'),
      ...authErrors,
    },
  },
  {
    method: 'get',
    path: '/api/v2/files/{filename}/thumbnail',
    summary: 'Grid thumbnail (fits 256 × 256)',
    description: imageDescription('The grid thumbnail'),
    tag: 'v2: library',
    auth: true,
    params: FilenameParams,
    query: ThumbnailQuery,
    responses: imageResponses,
  },
  {
    method: 'get',
    path: '/api/v2/files/{filename}/preview',
    summary: 'Preview (fits 1440 × 1440)',
    description: imageDescription('The preview'),
    tag: 'v2: library',
    auth: true,
    params: FilenameParams,
    query: ThumbnailQuery,
    responses: imageResponses,
  },
  {
    method: 'get',
    path: '/api/v2/server/media-tools',
    summary: 'Which media tools the server found (ffmpeg, ffprobe, exiftool, HEIC decoder)',
    description: 'The admin page shows a note when ffmpeg is missing: videos then get a placeholder thumbnail.',
    tag: 'server',
    auth: true,
    responses: { 200: { description: 'Tools', schema: MediaTools }, ...authErrors },
  },
];
