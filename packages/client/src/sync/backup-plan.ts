/**
 * What a backup must send, decided from hashes alone and incrementally: files come in as they are hashed,
 * their hashes leave in batches for the bulk check, and what the server lacks leaves as uploads. The rules:
 * - content the server already has is never sent, and content found in several local places is sent once
 *   (that one upload stores the other files too), whenever the copies turn up;
 * - if that upload fails, a copy (when there is one, now or later) is sent in its place;
 * - small files go in one request, large ones through tus.
 * Every file is settled exactly once: already stored, uploaded, or failed.
 * Pure: no I/O and no clock, so the rules are tested directly; ./backup-pipeline.ts decides when to hash,
 * check and upload. Must never hand out the same content for upload twice at once, or after it was stored.
 */
import type { FailedFile, LocalFile } from './types.ts';

export type UploadRoute = 'single-request' | 'resumable';

export interface PlannedUpload {
  readonly file: LocalFile;
  readonly sha256: string;
  readonly route: UploadRoute;
}

/** How a UI follows the plan: files settled, and changes to the bytes still to be sent. */
export interface PlanListener {
  settled(count: number, file?: LocalFile): void;
  bytesToSendChanged(delta: number): void;
}

/** The bulk check takes at most this many hashes per request. */
export const HAVE_BATCH_SIZE = 10_000;

type State = 'unchecked' | 'checking' | 'queued' | 'uploading' | 'stored' | 'missing';

interface Content {
  readonly sha256: string;
  /** The file that is (or will be) sent for this content: the first in scan order, until its upload starts. */
  file: LocalFile;
  /** `file`'s place in scan order. */
  rank: number;
  /** Other files with this content, settled by the upload's outcome. */
  copies: LocalFile[];
  state: State;
}

const quiet: PlanListener = { settled: () => undefined, bytesToSendChanged: () => undefined };

export class BackupPlanner {
  filesAlreadyStored = 0;
  filesUploaded = 0;
  readonly failed: FailedFile[] = [];
  private readonly contents = new Map<string, Content>();
  /** Ranks handed out so far (the default rank of the next file). */
  private added = 0;
  private unchecked: Content[] = [];
  private readonly queue: Content[] = [];
  private pending = 0;

  constructor(
    private readonly largeFileThreshold: number,
    private readonly listener: PlanListener = quiet,
  ) {}

  get uncheckedCount(): number {
    return this.unchecked.length;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  /** Bytes of content hashed but neither uploading nor settled: how far hashing has run ahead. */
  get pendingBytes(): number {
    return this.pending;
  }

  /**
   * A file's hash is known (from the cache or just computed). `rank` is its place in scan order (default: the
   * order of the calls): of identical files, the first in scan order is the one sent, whichever hashed first.
   */
  add(file: LocalFile, sha256: string, rank = this.added): void {
    this.added = Math.max(this.added, rank) + 1;
    const content = this.contents.get(sha256);
    if (!content) {
      const fresh: Content = { sha256, file, rank, copies: [], state: 'unchecked' };
      this.contents.set(sha256, fresh);
      this.unchecked.push(fresh);
      this.pending += file.size;
      return;
    }
    this.listener.bytesToSendChanged(-file.size);
    switch (content.state) {
      case 'unchecked':
      case 'checking':
      case 'queued':
        if (rank < content.rank) {
          content.copies.push(content.file);
          [content.file, content.rank] = [file, rank];
        } else content.copies.push(file);
        return;
      case 'uploading':
        content.copies.push(file);
        return;
      case 'stored':
        this.filesAlreadyStored += 1;
        this.listener.settled(1, file);
        return;
      case 'missing':
        content.file = file;
        this.enqueue(content, 'last');
        return;
    }
  }

  /** A file that could not be hashed. */
  unreadable(file: LocalFile, error: string): void {
    this.failed.push({ path: file.path, error });
    this.listener.settled(1, file);
    this.listener.bytesToSendChanged(-file.size);
  }

  /** Up to `max` hashes that still need the bulk check, oldest first. */
  nextBatch(max = HAVE_BATCH_SIZE): string[] {
    const batch = this.unchecked.slice(0, max);
    this.unchecked = this.unchecked.slice(batch.length);
    for (const content of batch) content.state = 'checking';
    return batch.map((content) => content.sha256);
  }

  /** The bulk check's answer for a batch: `stored` holds the hashes the server has. */
  checked(batch: readonly string[], stored: ReadonlySet<string>): void {
    for (const sha256 of batch) {
      const content = this.contents.get(sha256);
      if (content?.state !== 'checking') continue;
      if (!stored.has(sha256)) {
        content.state = 'queued';
        this.queue.push(content);
        continue;
      }
      this.pending -= content.file.size;
      content.state = 'stored';
      const count = 1 + content.copies.length;
      this.filesAlreadyStored += count;
      content.copies = [];
      this.listener.bytesToSendChanged(-content.file.size);
      this.listener.settled(count, content.file);
    }
  }

  /** The next content to send, if any is waiting. */
  nextUpload(): PlannedUpload | undefined {
    const content = this.queue.shift();
    if (!content) return undefined;
    content.state = 'uploading';
    this.pending -= content.file.size;
    const { file, sha256 } = content;
    return { file, sha256, route: file.size >= this.largeFileThreshold ? 'resumable' : 'single-request' };
  }

  uploaded(upload: PlannedUpload): void {
    const content = this.uploading(upload);
    content.state = 'stored';
    this.filesUploaded += 1;
    this.filesAlreadyStored += content.copies.length;
    this.listener.settled(1 + content.copies.length, content.file);
    content.copies = [];
  }

  uploadFailed(upload: PlannedUpload, failure: FailedFile): void {
    const content = this.uploading(upload);
    this.failed.push(failure);
    this.listener.settled(1, content.file);
    this.listener.bytesToSendChanged(-content.file.size);
    const copy = content.copies.shift();
    if (!copy) {
      content.state = 'missing';
      return;
    }
    content.file = copy;
    this.enqueue(content, 'first');
  }

  private enqueue(content: Content, where: 'first' | 'last'): void {
    content.state = 'queued';
    this.pending += content.file.size;
    this.listener.bytesToSendChanged(content.file.size);
    if (where === 'first') this.queue.unshift(content);
    else this.queue.push(content);
  }

  private uploading(upload: PlannedUpload): Content {
    const content = this.contents.get(upload.sha256);
    if (content?.state !== 'uploading') throw new Error(`no upload of ${upload.sha256} in progress`);
    return content;
  }
}
