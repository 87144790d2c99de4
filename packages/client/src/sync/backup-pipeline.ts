/**
 * The middle of a plain backup, pipelined: files are hashed (cache first), their hashes checked with the
 * server in batches, and what the server lacks uploaded — all at once, so the first upload starts after the
 * first hash instead of after the last one, and `concurrency` uploads stay in flight while the next files
 * are hashed. What to send is decided by the pure `BackupPlanner` (./backup-plan.ts); this module only
 * decides when. [Note: backup pipeline]
 * - A bulk check is sent when the uploads are about to run dry, when a batch is full, or when everything is
 *   hashed; while one is in flight the next batch grows, so a long run makes few, large checks.
 * - Hashing runs at most AHEAD_BYTES ahead of the uploads, so the upload re-reads a file the hash read
 *   moments ago (from the page cache, even for a library larger than memory).
 * - A fatal error (signed out, disk full, server gone, aborted) stops every stage: no new file is hashed,
 *   checked or sent, what is in flight finishes, and the first such error is thrown.
 * Platform-neutral: files, hashes and requests come through the ports. Never sends content twice.
 */
import type { BackupClient } from './backup.ts';
import type { BackupPlanner } from './backup-plan.ts';
import { isAbortError, withRetry } from './retry.ts';
import type { HashCache, LocalFile, LocalFiles } from './types.ts';
import { messageOf, uploadFile, type UploadContext } from './upload-file.ts';

const MiB = 1024 * 1024;
/** How far hashing may run ahead of the uploads. */
const AHEAD_BYTES = 256 * MiB;

export interface PipelineOptions extends UploadContext {
  readonly client: BackupClient;
  readonly hashCache: HashCache;
  readonly concurrency: number;
  /** Called after each newly computed hash, and once every file is hashed (the caller saves the cache). */
  readonly onHashed: (file: LocalFile) => void;
  readonly onAllHashed: () => void;
}

export class BackupPipeline {
  private fatal: { error: unknown } | undefined;
  private hashingDone = false;
  /** Each file's place in the inventory: identical files are sent by the first (see BackupPlanner.add). */
  private readonly ranks = new Map<LocalFile, number>();
  private checkingDone = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly options: PipelineOptions,
    private readonly plan: BackupPlanner,
  ) {}

  /** Back up `inventory`; the outcome is in the planner. Throws the first fatal error. */
  async run(inventory: readonly LocalFile[]): Promise<{ filesHashedFromCache: number }> {
    const { hashCache, concurrency, signal } = this.options;
    const uncached: LocalFile[] = [];
    inventory.forEach((file, rank) => this.ranks.set(file, rank));
    for (const file of inventory) {
      const cached = hashCache.get(file);
      if (cached === undefined) {
        uncached.push(file);
        continue;
      }
      hashCache.set(file, cached); // no change, unless the entry learns the file's media type
      this.plan.add(file, cached, this.ranks.get(file));
    }
    const onAbort = (): void => this.stop(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) this.stop(signal.reason);
      const lanes = Math.max(1, Math.floor(concurrency) || 1);
      await Promise.all([
        this.guard(() => this.hashAll(uncached, lanes)),
        this.guard(() => this.checkAll(lanes)),
        ...Array.from({ length: lanes }, () => this.guard(() => this.uploadLane())),
      ]);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (this.fatal) throw this.fatal.error;
    return { filesHashedFromCache: inventory.length - uncached.length };
  }

  private async hashAll(files: readonly LocalFile[], lanes: number): Promise<void> {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (!this.fatal && next < files.length) {
        if (this.plan.pendingBytes >= AHEAD_BYTES) {
          await this.changed();
          continue;
        }
        const file = files[next++] as LocalFile;
        let sha256: string;
        try {
          sha256 = await sha256Of(this.options.files, file, this.options.signal);
        } catch (error) {
          if (isAbortError(error)) throw error;
          this.plan.unreadable(file, `cannot read: ${messageOf(error)}`);
          continue;
        }
        this.options.hashCache.set(file, sha256);
        this.options.onHashed(file);
        this.plan.add(file, sha256, this.ranks.get(file));
        this.wake();
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(lanes, files.length) }, () => this.guard(lane)));
    } finally {
      this.hashingDone = true;
      this.options.onAllHashed();
      this.wake();
    }
  }

  private async checkAll(lanes: number): Promise<void> {
    const { client, signal } = this.options;
    try {
      for (;;) {
        const due = (): boolean =>
          this.plan.uncheckedCount > 0 && (this.hashingDone || this.plan.queuedCount < 2 * lanes);
        while (!this.fatal && !due() && !(this.hashingDone && this.plan.uncheckedCount === 0)) await this.changed();
        if (this.fatal || this.plan.uncheckedCount === 0) return;
        const batch = this.plan.nextBatch();
        const answer = await withRetry(() => client.haveFiles(batch), signal ? { signal } : {});
        this.plan.checked(batch, new Set(answer.have.map((entry) => entry.sha256.toLowerCase())));
        this.wake();
      }
    } finally {
      this.checkingDone = true;
      this.wake();
    }
  }

  private async uploadLane(): Promise<void> {
    for (;;) {
      while (!this.fatal && this.plan.queuedCount === 0 && !this.checkingDone) await this.changed();
      if (this.fatal) return;
      const upload = this.plan.nextUpload();
      if (!upload) return;
      this.wake();
      const outcome = await uploadFile(this.options, upload);
      if (outcome === 'uploaded') this.plan.uploaded(upload);
      else this.plan.uploadFailed(upload, outcome);
      this.wake();
    }
  }

  /** Run a stage; its error is fatal for all of them. */
  private async guard(stage: () => Promise<void>): Promise<void> {
    try {
      await stage();
    } catch (error) {
      this.stop(error);
    }
  }

  private stop(error: unknown): void {
    this.fatal ??= { error };
    this.wake();
  }

  /** Resolves at the next change of any stage's state; every waiter re-checks its own condition. */
  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

async function sha256Of(files: LocalFiles, file: LocalFile, signal: AbortSignal | undefined): Promise<string> {
  if (files.sha256) return files.sha256(file, signal);
  // Loaded on use: platforms that hash natively (Node) never load the crypto library for a backup.
  const { bytesToHex, loadSodium } = await import('@photosync/crypto');
  const hash = (await loadSodium()).createSha256();
  for await (const chunk of files.read(file)) {
    signal?.throwIfAborted();
    hash.update(chunk);
  }
  return bytesToHex(hash.digest());
}
