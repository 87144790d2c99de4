/**
 * Media routes (ours, /api/v2): the timeline by capture time, month buckets, per-file metadata, thumbnails
 * and previews, and which media tools the server has.
 */
import { z } from 'zod';

export const MediaKind = z.enum(['photo', 'video', 'other']).describe('Decided from the content, not the name');
export type MediaKind = z.infer<typeof MediaKind>;

export const ThumbnailStatus = z
  .enum(['pending', 'ready', 'placeholder', 'none', 'failed'])
  .describe(
    'pending: not made yet; ready: thumbnail and preview exist; placeholder: a generic video picture is served ' +
      '(ffmpeg is missing); none: not a photo or video; failed: see the metadata endpoint for the reason',
  );
export type ThumbnailStatus = z.infer<typeof ThumbnailStatus>;

export const MetadataStatus = z.enum(['pending', 'done', 'failed']);
export type MetadataStatus = z.infer<typeof MetadataStatus>;

export const JobStatus = z.enum(['queued', 'running', 'done', 'failed']);
export type JobStatus = z.infer<typeof JobStatus>;

export const TimelineQuery = z.object({
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page; absent for the first page'),
  limit: z.coerce.number().int().min(1).max(500).optional().describe('Page size, 1–500 (default 100)'),
});
export type TimelineQuery = z.infer<typeof TimelineQuery>;

export const TimelineItem = z.object({
  filename: z.string(),
  size: z.number().int(),
  mime: z.string(),
  sha256: z.string().describe('Content hash; append `?v=<sha256>` to thumbnail URLs (they are cached as immutable)'),
  kind: MediaKind,
  capturedAt: z
    .string()
    .describe(
      'ISO 8601 capture time as the camera recorded it: with its UTC offset when known, without one when the ' +
        'file records none; the time the server stored the file when there is no capture time at all',
    ),
  width: z.number().int().nullable().describe('Displayed width (orientation applied)'),
  height: z.number().int().nullable(),
  durationMs: z.number().int().nullable().describe('Videos only'),
  thumb: ThumbnailStatus,
});
export type TimelineItem = z.infer<typeof TimelineItem>;

export const TimelinePage = z.object({
  items: z.array(TimelineItem),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
export type TimelinePage = z.infer<typeof TimelinePage>;

export const TimelineMonths = z.object({
  months: z.array(
    z.object({
      month: z.string().describe('YYYY-MM of the capture time, as the camera recorded it'),
      count: z.number().int(),
    }),
  ),
});
export type TimelineMonths = z.infer<typeof TimelineMonths>;

export const ThumbnailQuery = z.object({
  v: z.string().max(100).optional().describe('Any version string (e.g. the sha256) to bust caches; ignored'),
});

export const MediaJob = z.object({
  status: JobStatus,
  attempts: z.number().int(),
  reason: z.string().nullable().describe('Why it failed, or what was missing from a partial success'),
  updatedAt: z.string(),
});
export type MediaJob = z.infer<typeof MediaJob>;

export const AssetMetadata = z.object({
  filename: z.string(),
  size: z.number().int(),
  mime: z.string(),
  sha256: z.string(),
  kind: MediaKind,
  capturedAt: z.string(),
  capturedAtSource: z
    .enum(['exif', 'exif-local', 'video', 'file'])
    .describe('exif: with offset; exif-local: no offset recorded; video: container time; file: time stored'),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  orientation: z.number().int().min(1).max(8).nullable().describe('EXIF orientation as recorded'),
  cameraMake: z.string().nullable(),
  cameraModel: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  durationMs: z.number().int().nullable(),
  metadataStatus: MetadataStatus,
  metadataSource: z.string().nullable().describe('Which reader produced the metadata (exifr, exiftool, ffprobe, ...)'),
  thumb: ThumbnailStatus,
  job: MediaJob.nullable(),
});
export type AssetMetadata = z.infer<typeof AssetMetadata>;

export const MediaTools = z.object({
  ffmpeg: z.boolean().describe('Video poster frames; without it videos show a placeholder'),
  ffprobe: z.boolean().describe('Video duration and creation time'),
  exiftool: z.boolean().describe('Metadata of files the built-in reader cannot parse'),
  heic: z.enum(['sharp', 'heic-decode']).describe('How HEIC photos are decoded'),
});
export type MediaTools = z.infer<typeof MediaTools>;
