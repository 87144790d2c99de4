/**
 * One media job: look at a stored file, record its metadata and write its thumbnails.
 * The file's content decides how (./media-sniff.ts), not its name. Limits are checked from the header before
 * any pixel is decoded: an image above MAX_PIXELS or a file above MAX_IMAGE_BYTES gets no thumbnails and a
 * recorded reason. What could be learnt is saved even when the thumbnails fail.
 * Must never: write thumbnails for an asset deleted meanwhile (they are removed again), or let one bad file
 * stop the queue (every failure becomes a JobFailure with a reason).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keySegments } from '@photosync/storage';
import type { Asset } from '../../db/schema.ts';
import type { MediaFields, MediaRepository } from '../../repositories/media-repository.ts';
import { blobKey } from '../library/library-service.ts';
import { decodeFailure, JobFailure } from './job-failure.ts';
import { readImageMetadata } from './image-metadata.ts';
import { readHead, sniffFile, type ImageFormat } from './media-sniff.ts';
import type { MediaTools } from './media-tools.ts';
import { displayedSize, heifHasTransforms } from './orientation.ts';
import { renderFrame, renderPhoto, type Thumbnails } from './thumbnail-renderer.ts';
import type { ThumbnailStore } from './thumbnail-store.ts';
import { posterFrame, probeVideo } from './video-probe.ts';

export const MAX_PIXELS = 100_000_000;
export const MAX_IMAGE_BYTES = 256 * 2 ** 20;
const HEIF_HEAD_BYTES = 512 * 1024;

/**
 * Read access to stored originals as local paths: exifr, libvips, exiftool and ffmpeg all read files far
 * better than streams (seeking to EXIF blocks, a video's moov atom at the end).
 */
export interface MediaFiles {
  pathOf(accountUuid: string, filename: string): string;
}

/** Paths derived exactly as the library's FsBlobStore does (checked segments): never outside `uploadDir`. */
export function fsMediaFiles(uploadDir: string): MediaFiles {
  return { pathOf: (accountUuid, filename) => join(uploadDir, ...keySegments(blobKey(accountUuid, filename))) };
}

export interface MediaProcessorDeps {
  readonly media: MediaRepository;
  readonly thumbnails: ThumbnailStore;
  readonly files: MediaFiles;
  readonly tools: MediaTools;
  readonly limits?: { readonly maxPixels: number; readonly maxImageBytes: number };
}

/** What one run learnt; `failure` ends the job as failed after the fields are saved. */
interface Outcome {
  fields: Partial<MediaFields>;
  thumbnails?: Thumbnails;
  failure?: JobFailure;
  /** Recorded on a job that succeeded with less than everything (a missing tool). */
  note?: string;
}

function fileTime(asset: Asset): Pick<MediaFields, 'captured_at' | 'captured_at_ms' | 'captured_at_source'> {
  return { captured_at: asset.created_at, captured_at_ms: Date.parse(asset.created_at), captured_at_source: 'file' };
}

function megapixels(pixels: number): string {
  return (pixels / 1e6).toFixed(1);
}

export class MediaProcessor {
  private readonly maxPixels: number;
  private readonly maxImageBytes: number;

  constructor(private readonly deps: MediaProcessorDeps) {
    this.maxPixels = deps.limits?.maxPixels ?? MAX_PIXELS;
    this.maxImageBytes = deps.limits?.maxImageBytes ?? MAX_IMAGE_BYTES;
  }

  /** Process the asset; resolves with a note for a partial success, throws JobFailure otherwise. */
  async process(job: { assetId: number; accountId: number }, signal: AbortSignal): Promise<string | undefined> {
    const target = await this.deps.media.findForJob(job.assetId, job.accountId);
    if (!target) return undefined; // deleted meanwhile: nothing to do
    const { asset, accountUuid } = target;
    const path = this.deps.files.pathOf(accountUuid, asset.filename);
    const sniffed = await sniffFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new JobFailure('The stored file is missing from disk');
      throw error;
    });
    let outcome: Outcome;
    switch (sniffed.kind) {
      case 'photo':
        outcome = await this.photo(asset, path, sniffed.format, signal);
        break;
      case 'video':
        outcome = await this.video(asset, path, signal);
        break;
      case 'other':
        outcome = {
          fields: { media_kind: 'other', metadata_source: 'none', metadata_status: 'done', thumb_status: 'none' },
        };
        break;
    }
    if (outcome.thumbnails) await this.deps.thumbnails.write(accountUuid, asset.sha256, outcome.thumbnails);
    if (!(await this.deps.media.saveMedia(asset.id, outcome.fields))) {
      await this.deps.thumbnails.remove(accountUuid, asset.sha256);
      return undefined;
    }
    if (outcome.failure) throw outcome.failure;
    return outcome.note;
  }

  private async photo(asset: Asset, path: string, format: ImageFormat, signal: AbortSignal): Promise<Outcome> {
    const { tools } = this.deps;
    const meta = await readImageMetadata(path, format, {
      exiftool: tools.exiftool,
      maxHeicBytes: this.maxImageBytes,
      signal,
    });
    const heif = format === 'heic' || format === 'avif';
    const containerTransforms = heif && heifHasTransforms(await readHead(path, HEIF_HEAD_BYTES));
    const orientation = containerTransforms ? null : meta.orientation;
    const size =
      meta.width !== null && meta.height !== null ? displayedSize(meta.width, meta.height, orientation) : null;
    const fields: Partial<MediaFields> = {
      media_kind: 'photo',
      ...(meta.capturedAt
        ? {
            captured_at: meta.capturedAt.iso,
            captured_at_ms: meta.capturedAt.ms,
            captured_at_source: meta.capturedAt.source,
          }
        : fileTime(asset)),
      width: size?.width ?? null,
      height: size?.height ?? null,
      orientation: meta.orientation,
      camera_make: meta.make,
      camera_model: meta.model,
      gps_latitude: meta.latitude,
      gps_longitude: meta.longitude,
      metadata_source: meta.source,
      metadata_status: meta.source === 'none' ? 'failed' : 'done',
    };
    const refuse = (reason: string): Outcome => ({
      fields: { ...fields, thumb_status: 'failed' },
      failure: new JobFailure(reason),
    });
    if (asset.size > this.maxImageBytes) {
      return refuse(
        `The file is ${megapixels(asset.size)} MB; previews are made for image files up to ` +
          `${megapixels(this.maxImageBytes)} MB`,
      );
    }
    if (size && size.width * size.height > this.maxPixels) {
      return refuse(
        `The image is ${megapixels(size.width * size.height)} megapixels (${size.width} × ${size.height}); ` +
          `previews are made for images up to ${megapixels(this.maxPixels)} megapixels`,
      );
    }
    let thumbnails: Thumbnails;
    try {
      thumbnails = await renderPhoto({
        path,
        format,
        orientation,
        containerTransforms,
        maxPixels: this.maxPixels,
        heic: tools.heic,
        readBytes: () => readFile(path),
        signal,
      });
    } catch (error) {
      const failure = decodeFailure(error);
      if (failure.transient) throw failure;
      return refuse(failure.reason);
    }
    // The rendered picture is the truth about which way up it is (a container rotation included).
    const portrait = thumbnails.height > thumbnails.width;
    const displayed =
      size && size.height > size.width !== portrait && size.width !== size.height
        ? { width: size.height, height: size.width }
        : size;
    return {
      fields: { ...fields, width: displayed?.width ?? null, height: displayed?.height ?? null, thumb_status: 'ready' },
      thumbnails,
    };
  }

  private async video(asset: Asset, path: string, signal: AbortSignal): Promise<Outcome> {
    const { ffprobe, ffmpeg } = this.deps.tools;
    const notes: string[] = [];
    const fields: Partial<MediaFields> = { media_kind: 'video', ...fileTime(asset), metadata_source: 'none' };
    let durationMs: number | null = null;
    if (ffprobe) {
      try {
        const info = await probeVideo(ffprobe, path, signal);
        durationMs = info.durationMs;
        const createdMs = info.createdAt ? Date.parse(info.createdAt) : NaN;
        Object.assign(fields, {
          duration_ms: info.durationMs,
          width: info.width,
          height: info.height,
          metadata_source: 'ffprobe',
          metadata_status: 'done',
          ...(info.createdAt && Number.isFinite(createdMs)
            ? { captured_at: info.createdAt, captured_at_ms: createdMs, captured_at_source: 'video' }
            : {}),
        });
      } catch (error) {
        if (signal.aborted) throw error;
        fields.metadata_status = 'failed';
        notes.push(`ffprobe could not read the video: ${(error as Error).message}`);
      }
    } else {
      fields.metadata_status = 'done';
      notes.push('ffprobe is not installed: duration and creation time are unknown');
    }
    if (!ffmpeg) {
      notes.push('ffmpeg is not installed: a placeholder is shown instead of a poster frame');
      return { fields: { ...fields, thumb_status: 'placeholder' }, note: notes.join('; ') };
    }
    try {
      const frame = await posterFrame(ffmpeg, path, durationMs, signal);
      if (frame.length === 0) throw new Error('the video has no frame to show');
      const thumbnails = await renderFrame(frame, this.maxPixels);
      return { fields: { ...fields, thumb_status: 'ready' }, thumbnails, ...noteOf(notes) };
    } catch (error) {
      if (signal.aborted) throw error;
      const reason = [...notes, `No poster frame: ${(error as Error).message}`].join('; ');
      return { fields: { ...fields, thumb_status: 'failed' }, failure: new JobFailure(reason) };
    }
  }
}

function noteOf(notes: string[]): { note?: string } {
  return notes.length > 0 ? { note: notes.join('; ') } : {};
}
