/**
 * Resumable uploads, the PhotoSync side of tus: what a new upload records, who may use an upload, and what
 * happens when its last byte arrives. The declared SHA-256 is checked and the file enters the library through
 * LibraryService.uploadFile, exactly like a one-request upload ([Note: upload commit order]). Partial uploads
 * that receive nothing for `expiryMs` are deleted, at start-up and then periodically.
 * Must never: serve an upload to another account ([Note: upload ownership]); leave a complete upload behind,
 * because a tus client would read its full offset as "stored"; store content other than what was declared.
 */
import { ResumableUploadMetadata } from '@photosync/protocol';
import type { AccountRepository } from '../../repositories/account-repository.ts';
import { BadRequest, Conflict, NotFound, PayloadTooLarge } from '../errors.ts';
import { sanitizeFileName } from '../library/file-name.ts';
import type { LibraryOwner, LibraryService, UploadResult } from '../library/library-service.ts';
import { OWNER_KEY, type PartialUpload, type PartialUploadStore } from './partial-upload-store.ts';

export interface ResumableUploadDeps {
  readonly uploads: PartialUploadStore;
  readonly library: LibraryService;
  readonly accounts: AccountRepository;
  readonly maxUploadBytes: number;
  /** A partial upload idle this long is deleted. */
  readonly expiryMs: number;
  readonly now?: () => Date;
}

/** A creation request, parsed at the edge. */
export interface NewUpload {
  readonly length: number;
  readonly metadata: ResumableUploadMetadata;
}

/** What start-up found: uploads a crash interrupted after their last byte, and idle ones deleted. */
export interface ResumableRecovery {
  /** Stored names (or duplicates) of complete uploads finished at start-up. */
  readonly completed: UploadResult[];
  /**
   * Deleted: complete uploads that could not be stored (owner gone, content not as declared), and creations a
   * crash cut short (no usable record and no bytes: the client never got their URL).
   */
  readonly discarded: string[];
  readonly expired: number;
}

const notFound = (): NotFound => new NotFound('Upload not found');
const finishing = (): Conflict =>
  new Conflict('The last byte arrived and the file is being stored; ask again in a moment', 'UPLOAD_FINISHING');

export class ResumableUploadService {
  private readonly finishing = new Set<string>();
  private readonly now: () => Date;
  private cleaning: Promise<number> | undefined;

  constructor(private readonly deps: ResumableUploadDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The tus DataStore the HTTP layer serves uploads from. */
  get datastore(): PartialUploadStore['datastore'] {
    return this.deps.uploads.datastore;
  }

  /** Check a new upload; returns the metadata to record for it, the verified owner included. */
  prepare(who: LibraryOwner, upload: NewUpload): Record<string, string> {
    const { maxUploadBytes } = this.deps;
    if (upload.length > maxUploadBytes) {
      throw new PayloadTooLarge(`File is larger than the server's limit of ${maxUploadBytes} bytes`);
    }
    sanitizeFileName(upload.metadata.filename); // a name with nothing usable is refused now, not at the end
    const { filename, sha256, filetype } = upload.metadata;
    return { filename, sha256, ...(filetype ? { filetype } : {}), [OWNER_KEY]: who.accountUuid };
  }

  /** `id` when `who` may use it. Another account's upload is indistinguishable from none (404). */
  async authorize(who: LibraryOwner, id: string): Promise<string> {
    const upload = await this.deps.uploads.find(id);
    if (!upload || upload.owner !== who.accountUuid) throw notFound();
    if (this.finishing.has(id)) throw finishing();
    return id;
  }

  /** The last byte arrived: verify and store the file, then forget the upload, whatever the outcome. */
  async finish(who: LibraryOwner, id: string, deviceId: number | null): Promise<UploadResult> {
    if (this.finishing.has(id)) throw finishing();
    this.finishing.add(id);
    let owned = false;
    try {
      const upload = await this.deps.uploads.find(id);
      if (!upload || upload.owner !== who.accountUuid) throw notFound();
      owned = true;
      return await this.store(who, upload, deviceId);
    } finally {
      if (owned) await this.deps.uploads.remove(id);
      this.finishing.delete(id);
    }
  }

  /** Start-up: store complete uploads a crash interrupted before they were stored, then delete idle ones. */
  async recover(): Promise<ResumableRecovery> {
    const completed: UploadResult[] = [];
    const discarded: string[] = [];
    let owners: Map<string, LibraryOwner> | undefined;
    for (const id of await this.deps.uploads.ids()) {
      const upload = await this.deps.uploads.find(id);
      if (!upload && (await this.deps.uploads.bytesReceived(id)) === 0) {
        await this.deps.uploads.remove(id);
        discarded.push(id);
        continue;
      }
      if (!upload || upload.size === undefined || upload.received !== upload.size) continue;
      owners ??= new Map(
        (await this.deps.accounts.listActive()).map((a) => [a.uuid, { accountId: a.id, accountUuid: a.uuid }]),
      );
      const owner = upload.owner === undefined ? undefined : owners.get(upload.owner);
      try {
        if (!owner) throw notFound();
        completed.push(await this.store(owner, upload, null));
      } catch {
        discarded.push(id);
      } finally {
        await this.deps.uploads.remove(id);
      }
    }
    return { completed, discarded, expired: await this.removeExpired() };
  }

  /** Delete partial uploads that received nothing for `expiryMs`; returns how many. One pass at a time. */
  removeExpired(): Promise<number> {
    this.cleaning ??= this.removeIdle().finally(() => {
      this.cleaning = undefined;
    });
    return this.cleaning;
  }

  /** Run `removeExpired` every so often (unref'd: it never keeps the process alive); returns the stop. */
  startExpiry(onError: (error: unknown) => void): () => void {
    const every = Math.min(Math.max(this.deps.expiryMs / 4, 60_000), 3_600_000);
    const timer = setInterval(() => void this.removeExpired().catch(onError), every);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async removeIdle(): Promise<number> {
    const cutoff = this.now().getTime() - this.deps.expiryMs;
    let removed = 0;
    for (const id of await this.deps.uploads.ids()) {
      if (this.finishing.has(id)) continue;
      const last = await this.deps.uploads.lastActivity(id);
      if (last && last.getTime() < cutoff) {
        await this.deps.uploads.remove(id);
        removed += 1;
      }
    }
    return removed;
  }

  private async store(owner: LibraryOwner, upload: PartialUpload, deviceId: number | null): Promise<UploadResult> {
    if (upload.size === undefined || upload.received !== upload.size) {
      throw new Conflict('The upload is not complete', 'UPLOAD_INCOMPLETE');
    }
    const metadata = ResumableUploadMetadata.safeParse(upload.metadata);
    if (!metadata.success) throw new BadRequest('The upload has no valid filename and sha256', 'INVALID_METADATA');
    return this.deps.library.uploadFile(owner, {
      path: this.deps.uploads.dataPath(upload.id),
      filename: metadata.data.filename,
      mediaType: metadata.data.filetype,
      expectedSha256: metadata.data.sha256,
      deviceId,
    });
  }
}
