/**
 * Wires the media pipeline: tools found once, the processor behind a persistent queue, the read-side service,
 * and the `LibraryEvents` port the library calls after an upload is committed or files are removed.
 * `start()` resumes work a restart interrupted and queues files that never got their metadata (a library from
 * before the pipeline existed, files recovery indexed); `stop()` waits until no job writes any more.
 */
import type { BlobStore } from '@photosync/storage';
import type { Db } from '../../db/database.ts';
import type { AssetRepository } from '../../repositories/asset-repository.ts';
import { JobRepository } from '../../repositories/job-repository.ts';
import { MediaRepository } from '../../repositories/media-repository.ts';
import type { LibraryEvents } from '../library/library-service.ts';
import { ForegroundActivity } from './foreground-activity.ts';
import { JobQueue } from './job-queue.ts';
import { fsMediaFiles, MediaProcessor } from './media-processor.ts';
import { MEDIA_JOB_KIND, MediaService } from './media-service.ts';
import { detectMediaTools, type MediaToolPaths, type MediaTools } from './media-tools.ts';
import { ThumbnailStore } from './thumbnail-store.ts';

export interface MediaPipelineOptions {
  readonly uploadDir: string;
  readonly thumbBlobs: BlobStore;
  readonly assets: AssetRepository;
  readonly concurrency: number;
  readonly toolPaths: MediaToolPaths;
  readonly onError?: (error: unknown) => void;
  /** Jobs start only after uploads have paused this long (default 500 ms). */
  readonly quietMs?: number;
}

export interface MediaPipeline {
  readonly service: MediaService;
  readonly queue: JobQueue;
  readonly tools: MediaTools;
  readonly events: LibraryEvents;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createMediaPipeline(db: Db, options: MediaPipelineOptions): Promise<MediaPipeline> {
  const tools = await detectMediaTools(options.toolPaths);
  const media = new MediaRepository(db);
  const jobs = new JobRepository(db);
  const thumbnails = new ThumbnailStore(options.thumbBlobs);
  const processor = new MediaProcessor({ media, thumbnails, files: fsMediaFiles(options.uploadDir), tools });
  const report = options.onError ?? ((error: unknown) => console.error('media pipeline:', error));
  const uploads = new ForegroundActivity(options.quietMs ?? 500);
  const queue = new JobQueue({
    jobs,
    kind: MEDIA_JOB_KIND,
    concurrency: options.concurrency,
    run: (job, signal) => processor.process({ assetId: job.asset_id, accountId: job.account_id }, signal),
    onError: report,
    waitTurn: (signal) => uploads.whenQuiet(signal),
  });
  const events: LibraryEvents = {
    receiving: () => uploads.begin(),
    stored: (owner, asset) => queue.enqueue(asset.id, owner.accountId),
    removed: async (owner, removed) => {
      // Derived files: a leftover costs disk space, never a photo, so a failure here does not fail the delete.
      try {
        if (removed === 'all') await thumbnails.removeAll(owner.accountUuid);
        else for (const asset of removed) await thumbnails.remove(owner.accountUuid, asset.sha256);
      } catch (error) {
        report(error);
      }
    },
  };
  return {
    service: new MediaService({ assets: options.assets, media, jobs, thumbnails, tools }),
    queue,
    tools,
    events,
    start: async () => {
      await jobs.enqueueMissing(MEDIA_JOB_KIND);
      // Videos that got a placeholder while ffmpeg was missing get their poster frame now that it is here.
      if (tools.ffmpeg) await jobs.requeueByThumbStatus(MEDIA_JOB_KIND, 'placeholder');
      await queue.start();
    },
    stop: () => queue.stop(),
  };
}
