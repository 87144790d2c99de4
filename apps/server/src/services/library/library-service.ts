/**
 * The plain ("Local"/"Remote") library: store an upload durably, list, read, delete.
 * [Note: upload commit order] bytes → staging (hashed while streaming) → fsync → check duplicate by SHA-256
 * → publish under `{account uuid}/{free name}` without overwriting → fsync dir → index row committed → reply.
 * A finished resumable upload takes the same path from a local file (`uploadFile`): hashed and fsynced where it
 * lies, then linked into staging instead of copied; the caller removes the file once this returns.
 * A crash before the row is committed leaves a file that start-up recovery indexes (./library-recovery.ts).
 * No lock is taken: the no-clobber publish reserves a name atomically on disk, and the UNIQUE constraints on
 * (account, sha256) and (account, filename) settle races in the database, so concurrent uploads of one
 * account (or of several server processes) proceed in parallel.
 * Must never: treat a different file with the same name as a duplicate, overwrite a stored file, build a
 * path from anything but the account uuid and a sanitised name, or acknowledge before the commit.
 */
import type { Readable } from 'node:stream';
import { BlobExistsError, type BlobStore, type ByteRange, type StagedBlob } from '@photosync/storage';
import type { Asset } from '../../db/schema.ts';
import type { AssetRepository } from '../../repositories/asset-repository.ts';
import type { AuthContext } from '../accounts/account-service.ts';
import { BadRequest, NotFound } from '../errors.ts';
import { nameCandidates, sanitizeFileName } from './file-name.ts';
import { mediaTypeOf } from './media-type.ts';

export interface UploadInput {
  readonly filename: string;
  readonly mediaType: string | undefined;
  readonly body: Readable | AsyncIterable<Uint8Array>;
  /** Lowercase hex SHA-256 the client declared (X-Content-SHA256), checked before anything is stored. */
  readonly expectedSha256: string | undefined;
  readonly deviceId: number | null;
}

/** A complete file already on the server's disk (a finished resumable upload). */
export interface FileUploadInput extends Omit<UploadInput, 'body' | 'expectedSha256'> {
  /** Left in place (linked into staging where it can be): the caller removes it after the upload returns. */
  readonly path: string;
  /** Lowercase hex SHA-256 the client declared; a mismatch stores nothing. */
  readonly expectedSha256: string;
}

/** Whose library: the account id for the index and its uuid for storage paths (from a verified token). */
export type LibraryOwner = Pick<AuthContext, 'accountId' | 'accountUuid'>;

export interface HaveFilesResult {
  readonly have: { sha256: string; filename: string }[];
  readonly missing: string[];
}

export interface UploadResult {
  readonly filename: string;
  readonly duplicate: boolean;
  readonly sha256: string;
  readonly size: number;
}

/**
 * Told about changes to the index so that derived data (metadata, thumbnails) can follow; see
 * services/media. `stored` must return at once: the upload reply never waits for it.
 */
export interface LibraryEvents {
  /** An upload started receiving bytes; call the returned function when it is over (background work waits). */
  receiving?(): () => void;
  stored(owner: Pick<AuthContext, 'accountId' | 'accountUuid'>, asset: Asset): void;
  /** Rows removed from the index (`'all'` after a purge). */
  removed(owner: Pick<AuthContext, 'accountId' | 'accountUuid'>, removed: readonly Asset[] | 'all'): Promise<void>;
}

export interface LibraryServiceDeps {
  readonly assets: AssetRepository;
  readonly blobs: BlobStore;
  readonly maxUploadBytes: number;
  readonly events?: LibraryEvents;
  readonly now?: () => Date;
}

export function blobKey(accountUuid: string, filename: string): string {
  return `${accountUuid}/${filename}`;
}

export class LibraryService {
  private readonly now: () => Date;

  constructor(private readonly deps: LibraryServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async upload(who: LibraryOwner, input: UploadInput): Promise<UploadResult> {
    const filename = sanitizeFileName(input.filename);
    const done = this.deps.events?.receiving?.();
    try {
      const staged = await this.deps.blobs.stage(input.body, { maxBytes: this.deps.maxUploadBytes });
      return await this.store(who, staged, filename, input, 'X-Content-SHA256');
    } finally {
      done?.();
    }
  }

  /** Store a complete local file like an upload (same checks, dedup and names); see [Note: upload commit order]. */
  async uploadFile(who: LibraryOwner, input: FileUploadInput): Promise<UploadResult> {
    const filename = sanitizeFileName(input.filename);
    const staged = await this.deps.blobs.stageFile(input.path, { maxBytes: this.deps.maxUploadBytes });
    return this.store(who, staged, filename, input, 'the declared SHA-256');
  }

  /** Check staged bytes, then commit them; the staged blob is always let go. */
  private async store(
    who: LibraryOwner,
    staged: StagedBlob,
    filename: string,
    input: Pick<UploadInput, 'mediaType' | 'expectedSha256' | 'deviceId'>,
    declaredBy: string,
  ): Promise<UploadResult> {
    try {
      if (staged.size === 0) throw new BadRequest('The file is empty; nothing was stored', 'EMPTY_FILE');
      if (input.expectedSha256 !== undefined && input.expectedSha256 !== staged.sha256) {
        throw new BadRequest(`Content does not match ${declaredBy}; nothing was stored`, 'SHA256_MISMATCH', {
          expected: input.expectedSha256,
          received: staged.sha256,
        });
      }
      return await this.commit(who, staged, filename, mediaTypeOf(filename, input.mediaType), input.deviceId);
    } finally {
      await this.deps.blobs.discard(staged);
    }
  }

  /** Which of `sha256s` (lowercase) the account stores, and under which name; each distinct hash once. */
  async have(who: LibraryOwner, sha256s: readonly string[]): Promise<HaveFilesResult> {
    const distinct = [...new Set(sha256s)];
    const names = await this.deps.assets.namesBySha256(who.accountId, distinct);
    const result: HaveFilesResult = { have: [], missing: [] };
    for (const sha256 of distinct) {
      const filename = names.get(sha256);
      if (filename === undefined) result.missing.push(sha256);
      else result.have.push({ sha256, filename });
    }
    return result;
  }

  /** Publish staged bytes under the first free name and index them; identical content is a duplicate. */
  private async commit(
    who: LibraryOwner,
    staged: StagedBlob,
    filename: string,
    mime: string,
    deviceId: number | null,
  ): Promise<UploadResult> {
    const { assets, blobs } = this.deps;
    const duplicateOf = (asset: Asset): UploadResult => ({
      filename: asset.filename,
      duplicate: true,
      sha256: asset.sha256,
      size: asset.size,
    });
    const existing = await assets.findBySha256(who.accountId, staged.sha256);
    if (existing) return duplicateOf(existing);
    for (const candidate of nameCandidates(filename)) {
      if (await assets.findByName(who.accountId, candidate)) continue;
      const key = blobKey(who.accountUuid, candidate);
      try {
        await blobs.commit(staged, key);
      } catch (error) {
        if (error instanceof BlobExistsError) continue; // on disk without a row (or a case-insensitive clash)
        throw error;
      }
      try {
        const asset = await assets.insert({
          account_id: who.accountId,
          filename: candidate,
          sha256: staged.sha256,
          size: staged.size,
          mime,
          device_id: deviceId,
          created_at: this.now().toISOString(),
        });
        this.announceStored(who, asset);
        return { filename: candidate, duplicate: false, sha256: staged.sha256, size: staged.size };
      } catch (error) {
        // Another process's start-up recovery may have indexed this very file (published, no row yet): then
        // it is stored and must stay. Otherwise it is not indexed, so not stored: take the published bytes
        // back. If another upload indexed the same content meanwhile, this one is its duplicate; else the
        // client sees an error and retries.
        const named = await assets.findByName(who.accountId, candidate);
        if (named?.sha256 === staged.sha256) {
          return { filename: candidate, duplicate: false, sha256: staged.sha256, size: staged.size };
        }
        await blobs.delete(key);
        const winner = await assets.findBySha256(who.accountId, staged.sha256);
        if (winner) return duplicateOf(winner);
        throw error;
      }
    }
    throw new BadRequest('Too many files share this name', 'NAME_EXHAUSTED');
  }

  /** A failure to queue derived work must never fail or undo a stored upload (start-up queues it again). */
  private announceStored(who: Pick<AuthContext, 'accountId' | 'accountUuid'>, asset: Asset): void {
    try {
      this.deps.events?.stored(who, asset);
    } catch {
      // See above: the asset stays pending and is picked up at the next start.
    }
  }

  async list(
    who: AuthContext,
    offset: number,
    limit: number | undefined,
  ): Promise<{ files: Pick<Asset, 'filename' | 'size' | 'created_at'>[]; total: number }> {
    const [files, totals] = await Promise.all([
      this.deps.assets.listByName(who.accountId, offset, limit),
      this.deps.assets.totals(who.accountId),
    ]);
    return { files, total: totals.count };
  }

  async find(who: AuthContext, filename: string): Promise<Asset> {
    const asset = await this.deps.assets.findByName(who.accountId, filename);
    if (!asset) throw new NotFound('File not found');
    return asset;
  }

  read(who: AuthContext, asset: Asset, range?: ByteRange): Promise<Readable> {
    return this.deps.blobs.read(blobKey(who.accountUuid, asset.filename), range);
  }

  /** Delete one file: the index row first, so a crash can at worst bring the file back, never list a ghost. */
  async remove(who: AuthContext, filename: string): Promise<void> {
    const removed = await this.deps.assets.remove(who.accountId, filename);
    if (!removed) throw new NotFound('File not found');
    await this.deps.blobs.delete(blobKey(who.accountUuid, removed.filename));
    await this.deps.events?.removed(who, [removed]);
  }

  async purge(who: AuthContext): Promise<number> {
    const names = await this.deps.assets.removeAll(who.accountId);
    for (const name of names) await this.deps.blobs.delete(blobKey(who.accountUuid, name));
    await this.deps.events?.removed(who, 'all');
    return names.length;
  }

  stats(who: AuthContext): Promise<{ count: number; bytes: number }> {
    return this.deps.assets.totals(who.accountId);
  }
}
