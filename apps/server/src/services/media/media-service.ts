/**
 * The read side of the media pipeline for the HTTP layer: the timeline, month buckets, one file's metadata and
 * its thumbnails. Everything is looked up by the caller's account id; a file name only ever selects within it.
 * Plain data in and out; throws DomainErrors.
 */
import type { Readable } from 'node:stream';
import type { AssetMetadata, MediaTools as MediaToolsView, TimelineItem, TimelinePage } from '@photosync/protocol';
import type { Asset } from '../../db/schema.ts';
import type { AssetRepository } from '../../repositories/asset-repository.ts';
import type { JobRepository } from '../../repositories/job-repository.ts';
import type { MediaRepository, TimelinePosition, TimelineRow } from '../../repositories/media-repository.ts';
import type { AuthContext } from '../accounts/account-service.ts';
import { BadRequest, DomainError, NotFound } from '../errors.ts';
import { kindOfMediaType } from './media-sniff.ts';
import type { MediaTools } from './media-tools.ts';
import { RENDER_VERSION, videoPlaceholder } from './thumbnail-renderer.ts';
import type { ThumbnailStore, ThumbnailVariant } from './thumbnail-store.ts';

export const MEDIA_JOB_KIND = 'media';
export const DEFAULT_TIMELINE_LIMIT = 100;

/** 404 with a code saying why there is no picture (yet). */
export class ThumbnailUnavailable extends DomainError {
  readonly status = 404;
  constructor(
    message: string,
    readonly code: 'THUMBNAIL_PENDING' | 'THUMBNAIL_FAILED' | 'NO_THUMBNAIL' | 'THUMBNAIL_MISSING',
  ) {
    super(message);
  }
}

export type ThumbnailView =
  | { readonly kind: 'stored'; readonly etag: string; readonly size: number; open(): Promise<Readable> }
  | { readonly kind: 'placeholder'; readonly etag: string; readonly bytes: Buffer };

export interface MediaServiceDeps {
  readonly assets: AssetRepository;
  readonly media: MediaRepository;
  readonly jobs: JobRepository;
  readonly thumbnails: ThumbnailStore;
  readonly tools: MediaTools;
}

type Who = Pick<AuthContext, 'accountId' | 'accountUuid'>;

/**
 * Opaque timeline cursors: the (capture ms, id) of the last item of a page, base64url-encoded. Keyset
 * pagination, so an upload between two page requests neither repeats nor skips items. A cursor names no
 * account: the query it feeds is always scoped to the caller.
 */
export function encodeCursor(position: TimelinePosition): string {
  return Buffer.from(`${position.capturedAtMs}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): TimelinePosition {
  const match = /^(-?\d{1,16}):(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const capturedAtMs = Number(match?.[1]);
  const id = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(capturedAtMs) || !Number.isSafeInteger(id)) {
    throw new BadRequest('Invalid timeline cursor: pass nextCursor from the previous page unchanged', 'INVALID_CURSOR');
  }
  return { capturedAtMs, id };
}

function kindOf(row: Pick<Asset, 'media_kind' | 'mime'>): TimelineItem['kind'] {
  const kind = row.media_kind;
  return kind === 'photo' || kind === 'video' || kind === 'other' ? kind : kindOfMediaType(row.mime);
}

function thumbOf(row: Pick<Asset, 'thumb_status'>): TimelineItem['thumb'] {
  const status = row.thumb_status;
  return status === 'ready' || status === 'placeholder' || status === 'none' || status === 'failed'
    ? status
    : 'pending';
}

function toItem(row: TimelineRow): TimelineItem {
  return {
    filename: row.filename,
    size: row.size,
    mime: row.mime,
    sha256: row.sha256,
    kind: kindOf(row),
    capturedAt: row.captured_at ?? row.created_at,
    width: row.width,
    height: row.height,
    durationMs: row.duration_ms,
    thumb: thumbOf(row),
  };
}

export class MediaService {
  constructor(private readonly deps: MediaServiceDeps) {}

  async timeline(who: Who, cursor: string | undefined, limit = DEFAULT_TIMELINE_LIMIT): Promise<TimelinePage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const rows = await this.deps.media.timelinePage(who.accountId, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > limit && last ? encodeCursor({ capturedAtMs: last.captured_at_ms, id: last.id }) : null;
    return { items: page.map(toItem), nextCursor };
  }

  async months(who: Who): Promise<{ months: { month: string; count: number }[] }> {
    return { months: await this.deps.media.months(who.accountId) };
  }

  async metadata(who: Who, filename: string): Promise<AssetMetadata> {
    const asset = await this.find(who, filename);
    const job = await this.deps.jobs.findByAsset(MEDIA_JOB_KIND, asset.id);
    const source = asset.captured_at_source;
    return {
      filename: asset.filename,
      size: asset.size,
      mime: asset.mime,
      sha256: asset.sha256,
      kind: kindOf(asset),
      capturedAt: asset.captured_at ?? asset.created_at,
      capturedAtSource: source === 'exif' || source === 'exif-local' || source === 'video' ? source : 'file',
      width: asset.width,
      height: asset.height,
      orientation: asset.orientation,
      cameraMake: asset.camera_make,
      cameraModel: asset.camera_model,
      latitude: asset.gps_latitude,
      longitude: asset.gps_longitude,
      durationMs: asset.duration_ms,
      metadataStatus:
        asset.metadata_status === 'done' || asset.metadata_status === 'failed' ? asset.metadata_status : 'pending',
      metadataSource: asset.metadata_source,
      thumb: thumbOf(asset),
      job: job
        ? {
            status:
              job.status === 'running' || job.status === 'done' || job.status === 'failed' ? job.status : 'queued',
            attempts: job.attempts,
            reason: job.reason,
            updatedAt: job.updated_at,
          }
        : null,
    };
  }

  /** The picture to send for one file, or a ThumbnailUnavailable saying why there is none. */
  async thumbnail(who: Who, filename: string, variant: ThumbnailVariant): Promise<ThumbnailView> {
    const asset = await this.find(who, filename);
    switch (thumbOf(asset)) {
      case 'pending':
        throw new ThumbnailUnavailable('The thumbnail is not ready yet', 'THUMBNAIL_PENDING');
      case 'failed':
        throw new ThumbnailUnavailable(
          'No thumbnail could be made for this file; see its metadata',
          'THUMBNAIL_FAILED',
        );
      case 'none':
        throw new ThumbnailUnavailable('This file is not a photo or video', 'NO_THUMBNAIL');
      case 'placeholder':
        return {
          kind: 'placeholder',
          etag: `"placeholder-video-${variant}-v${RENDER_VERSION}"`,
          bytes: (await videoPlaceholder())[variant],
        };
      case 'ready':
        break;
    }
    const { thumbnails } = this.deps;
    const size = await thumbnails.size(who.accountUuid, asset.sha256, variant);
    if (size === undefined) throw new ThumbnailUnavailable('The thumbnail file is missing', 'THUMBNAIL_MISSING');
    return {
      kind: 'stored',
      etag: `"${asset.sha256}-${variant}-v${RENDER_VERSION}"`,
      size,
      open: () => thumbnails.read(who.accountUuid, asset.sha256, variant),
    };
  }

  tools(): MediaToolsView {
    const { tools } = this.deps;
    return {
      ffmpeg: tools.ffmpeg !== null,
      ffprobe: tools.ffprobe !== null,
      exiftool: tools.exiftool !== null,
      heic: tools.heic,
    };
  }

  private async find(who: Who, filename: string): Promise<Asset> {
    const asset = await this.deps.assets.findByName(who.accountId, filename);
    if (!asset) throw new NotFound('File not found');
    return asset;
  }
}
