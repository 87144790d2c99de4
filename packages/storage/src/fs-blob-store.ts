/**
 * BlobStore on a local filesystem: `{root}/{key}`, staging in `{root}/.incoming/`.
 *
 * [Note: durable publish] stage = write temp file (on the copy thread, [Note: off-thread copy]) → fsync; commit = link (no-clobber) or rename → fsync the
 * directory. Only after commit returns may a caller record the blob as stored. Staging lives under the same
 * root so that publishing is a same-filesystem link/rename, never a copy. `stageFile` hard-links a finished
 * local file into staging when it is on the same filesystem, so a large resumable upload is not copied, and
 * the file stays where it was until its owner removes it after the commit (a crash in between loses nothing).
 * Staging files carry their writer's tag, and cleaning skips those of other live processes ([Note: staging
 * owners] in ./staging-owner.ts), so that processes sharing a data directory never remove each other's uploads.
 * Must never: follow a key outside the root, overwrite an existing blob, leave a staged file visible under a key.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, open, readdir, rename, rm, stat, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  BlobExistsError,
  BlobNotFoundError,
  BlobTooLargeError,
  keySegments,
  type BlobInfo,
  type BlobStore,
  type ByteRange,
  type StageOptions,
  type StagedBlob,
} from './blob-store.ts';
import { hashFile } from './hash-file.ts';
import { fsyncDirectory, isNotFound, mapWriteError } from './fs-errors.ts';
import { GroupedFsync } from './grouped-fsync.ts';
import { KnownDirectories } from './known-directories.ts';
import { sharedCopier } from './off-thread-copy.ts';
import { ownedByAnotherLiveProcess, ownerTag, SELF, STALE_MS, StagingHeartbeat } from './staging-owner.ts';

const STAGING_DIR = '.incoming';
const STAGING_ID = /^[0-9a-f]{8}-\d{1,10}-[0-9a-f]{8}\.[0-9a-f-]{36}$/;

const newStagingId = (): string => `${ownerTag(SELF)}.${randomUUID()}`;
/** link() failures that mean "not here" rather than a real error: fall back to copying. */
const LINK_REFUSED = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

export class FsBlobStore implements BlobStore {
  private readonly stagingDir: string;
  /** Staged blobs already published: discarding them has nothing left to remove. */
  private readonly published = new Set<string>();
  /** Directories made by this store, so that publishing skips a mkdir per upload. */
  private readonly directories = new KnownDirectories();
  /** Set once link() proved unsupported here (some FUSE/SMB mounts); we then fall back to rename. */
  private linkUnsupported = false;
  /** Concurrent publishes into one folder share its fsync ([Note: durable publish]). */
  private readonly directorySyncs = new GroupedFsync(fsyncDirectory);
  /** Without link(), "check then rename" must not interleave: fallback commits run one at a time. */
  private fallbackCommits: Promise<void> = Promise.resolve();
  /** Keeps our staged files visibly alive and, meanwhile, sweeps leftovers of processes that are gone. */
  private readonly heartbeat = new StagingHeartbeat(() => this.cleanStaging(STALE_MS));

  constructor(private readonly root: string) {
    this.stagingDir = join(root, STAGING_DIR);
  }

  async stage(source: Readable | AsyncIterable<Uint8Array>, options: StageOptions = {}): Promise<StagedBlob> {
    const stagingId = newStagingId();
    const path = this.stagingPath(stagingId);
    const file = await this.directories.within(this.stagingDir, () => open(path, 'wx', 0o600)).catch(mapWriteError);
    this.heartbeat.track(path);
    try {
      const copied = await sharedCopier.copy(source, file.fd, options.maxBytes);
      await file.sync();
      await file.close();
      return { stagingId, ...copied };
    } catch (error) {
      await file.close().catch(() => undefined);
      await unlink(path).catch(() => undefined);
      this.heartbeat.untrack(path);
      return mapWriteError(error);
    }
  }

  /** Same filesystem: hash and fsync in place, then hard-link into staging (no copy). Else: a hashed copy. */
  async stageFile(path: string, options: StageOptions = {}): Promise<StagedBlob> {
    await mkdir(this.stagingDir, { recursive: true, mode: 0o700 });
    const [source, staging] = await Promise.all([stat(path), stat(this.stagingDir)]);
    if (options.maxBytes !== undefined && source.size > options.maxBytes) throw new BlobTooLargeError(options.maxBytes);
    if (source.dev === staging.dev) {
      const file = await open(path, 'r+');
      let hashed;
      try {
        hashed = await hashFile(file, options.maxBytes);
        await file.chmod(0o600);
        await file.sync();
      } finally {
        await file.close();
      }
      const stagingId = newStagingId();
      try {
        await link(path, this.stagingPath(stagingId));
        this.heartbeat.track(this.stagingPath(stagingId));
        return { stagingId, ...hashed };
      } catch (error) {
        // A bind mount looks like the same device but refuses the link, as do some FUSE/SMB mounts: copy.
        if (!LINK_REFUSED.has((error as NodeJS.ErrnoException).code ?? '')) return mapWriteError(error);
      }
    }
    return this.stage(createReadStream(path), options);
  }

  async commit(staged: StagedBlob, key: string): Promise<void> {
    const target = this.pathOf(key);
    const directory = join(target, '..');
    const source = this.stagingPath(staged.stagingId);
    if (!this.linkUnsupported) {
      try {
        await this.directories.within(directory, () => link(source, target));
        this.heartbeat.untrack(source);
        this.published.add(staged.stagingId);
        // The staging name goes while the folder is synced; if it lingers, the staging sweep removes it.
        await Promise.all([unlink(source).catch(() => undefined), this.directorySyncs.sync(directory)]);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new BlobExistsError(`Blob exists: ${key}`);
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') {
          return mapWriteError(error);
        }
        this.linkUnsupported = true;
      }
    }
    const attempt = this.fallbackCommits.then(async () => {
      if (await this.stat(key)) throw new BlobExistsError(`Blob exists: ${key}`);
      await this.directories.within(directory, () => rename(source, target)).catch(mapWriteError);
      this.heartbeat.untrack(source);
      this.published.add(staged.stagingId);
    });
    this.fallbackCommits = attempt.catch(() => undefined);
    await attempt;
    await this.directorySyncs.sync(directory);
  }

  async discard(staged: StagedBlob): Promise<void> {
    if (this.published.delete(staged.stagingId)) return;
    const path = this.stagingPath(staged.stagingId);
    await unlink(path).catch(() => undefined);
    this.heartbeat.untrack(path);
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    const file = await open(path, 'r').catch((error: unknown) => {
      if (isNotFound(error)) throw new BlobNotFoundError(`No blob: ${key}`);
      throw error;
    });
    return createReadStream('', { fd: file, ...(range ? { start: range.start, end: range.end } : {}) });
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { key, size: info.size, modifiedAt: info.mtime } : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<boolean> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
      await this.directorySyncs.sync(join(path, '..'));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    let removed = 0;
    for await (const blob of this.list(prefix)) {
      if (await this.delete(blob.key)) removed += 1;
    }
    await rm(this.pathOf(prefix), { recursive: true, force: true });
    return removed;
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    const directory = this.pathOf(prefix);
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    for (const name of names) {
      const info = await this.stat(`${prefix}/${name}`).catch(() => undefined);
      if (info) yield info;
    }
  }

  async cleanStaging(olderThanMs: number): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.stagingDir);
    } catch (error) {
      if (isNotFound(error)) return 0;
      throw error;
    }
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of names) {
      const path = join(this.stagingDir, name);
      const info = await stat(path).catch(() => undefined);
      if (!info || ownedByAnotherLiveProcess(name, info.mtimeMs)) continue;
      if (olderThanMs === 0 || info.mtimeMs < cutoff) {
        await rm(path, { force: true, recursive: true });
        removed += 1;
      }
    }
    return removed;
  }

  async capacity(): Promise<{ freeBytes: number; totalBytes: number }> {
    await mkdir(this.root, { recursive: true });
    const info = await statfs(this.root);
    return { freeBytes: info.bavail * info.bsize, totalBytes: info.blocks * info.bsize };
  }

  private pathOf(key: string): string {
    return join(this.root, ...keySegments(key));
  }

  private stagingPath(stagingId: string): string {
    if (!STAGING_ID.test(stagingId)) throw new BlobNotFoundError('Unknown staged blob');
    return join(this.stagingDir, `${stagingId}.part`);
  }
}
