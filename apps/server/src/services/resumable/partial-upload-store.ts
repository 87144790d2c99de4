/**
 * Resumable uploads in progress, on disk: `{tusDir}/{id}` holds the bytes received so far and
 * `{tusDir}/{id}.json` the record (size, metadata, creation time, owner). The tus server reads and writes
 * them through `datastore`; PhotoSync code asks who owns an upload, where its bytes are, and removes it.
 *
 * [Note: upload ownership] An upload belongs to the account whose verified token created it. Its uuid is
 * handed over under OWNER_KEY in the metadata that `onUploadCreate` returns. The record store takes it out
 * of the metadata and keeps it beside it. So a client can neither set nor see it, and a value a client put
 * under that key is replaced before anything is written. Every request for an upload id is checked against it.
 * Must never: resolve an id outside the directory, or report an owner that was not recorded at creation.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { Upload, type KvStore } from '@tus/server';

/** Ids are made here (128 random bits, hex); anything else in a URL is not an upload. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;
export const OWNER_KEY = 'photosync-owner';

export function newUploadId(): string {
  return randomBytes(16).toString('hex');
}

/** What a record file holds: tus's upload fields plus the owner, outside the metadata. */
interface UploadRecord {
  readonly id: string;
  readonly size?: number;
  readonly metadata?: Record<string, string | null>;
  readonly creation_date?: string;
  readonly owner?: string | undefined;
}

export interface PartialUpload {
  readonly id: string;
  readonly owner: string | undefined;
  /** Declared whole size (always known: creation requires Upload-Length). */
  readonly size: number | undefined;
  readonly received: number;
  readonly metadata: Record<string, string | null>;
  /** Last time a byte arrived or the record changed. */
  readonly lastActivity: Date;
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** tus's configstore over `{id}.json`, moving the owner out of the metadata (see the Note above). */
class OwnedUploadRecords implements KvStore<Upload> {
  constructor(private readonly directory: string) {}

  async get(id: string): Promise<Upload | undefined> {
    const record = await this.read(id);
    return record && new Upload({ ...record, offset: 0 });
  }

  async set(id: string, upload: Upload): Promise<void> {
    const { [OWNER_KEY]: owner, ...metadata } = upload.metadata ?? {};
    const record: UploadRecord = {
      id,
      ...(upload.size !== undefined ? { size: upload.size } : {}),
      metadata,
      ...(upload.creation_date ? { creation_date: upload.creation_date } : {}),
      // A later rewrite (tus never does one for our uploads) keeps the owner recorded at creation.
      owner: owner ?? (await this.read(id))?.owner ?? undefined,
    };
    await writeFile(this.path(id), JSON.stringify(record), { mode: 0o600 });
  }

  async delete(id: string): Promise<void> {
    await unlink(this.path(id)).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  }

  async read(id: string): Promise<UploadRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.path(id), 'utf8')) as UploadRecord;
    } catch {
      return undefined; // missing, or torn by a crash: either way not a usable upload
    }
  }

  path(id: string): string {
    if (!UPLOAD_ID.test(id)) throw new Error(`not an upload id: ${JSON.stringify(id)}`);
    return join(this.directory, `${id}.json`);
  }
}

export class PartialUploadStore {
  /** The tus DataStore over the same files (creation, creation-with-upload and termination only). */
  readonly datastore: FileStore;
  private readonly records: OwnedUploadRecords;

  constructor(private readonly directory: string) {
    this.records = new OwnedUploadRecords(directory);
    this.datastore = new FileStore({ directory, configstore: this.records });
    // No deferred length (creation requires Upload-Length) and our own idle-based expiry (see removeIdle).
    this.datastore.extensions = ['creation', 'creation-with-upload', 'termination'];
  }

  static isUploadId(id: string): boolean {
    return UPLOAD_ID.test(id);
  }

  dataPath(id: string): string {
    if (!UPLOAD_ID.test(id)) throw new Error(`not an upload id: ${JSON.stringify(id)}`);
    return join(this.directory, id);
  }

  /** The upload, or undefined when there is no usable record (unknown id, removed, torn record). */
  async find(id: string): Promise<PartialUpload | undefined> {
    if (!UPLOAD_ID.test(id)) return undefined;
    const record = await this.records.read(id);
    if (!record) return undefined;
    const [data, json] = await Promise.all([stat(this.dataPath(id)), stat(this.records.path(id))]).catch(
      () => [undefined, undefined] as const,
    );
    if (!data || !json) return undefined;
    return {
      id,
      owner: record.owner,
      size: record.size,
      received: data.size,
      metadata: record.metadata ?? {},
      lastActivity: new Date(Math.max(data.mtimeMs, json.mtimeMs)),
    };
  }

  /** Bytes on disk for `id`, with or without a usable record (0 when there are none). */
  async bytesReceived(id: string): Promise<number> {
    return (await stat(this.dataPath(id)).catch(() => undefined))?.size ?? 0;
  }

  /** Every upload id with a record or bytes on disk (including halves a crash left behind). */
  async ids(): Promise<string[]> {
    const names = await readdir(this.directory).catch((error: unknown) => {
      if (isNotFound(error)) return [];
      throw error;
    });
    return [...new Set(names.map((name) => name.replace(/\.json$/, '')).filter((id) => UPLOAD_ID.test(id)))];
  }

  /** When anything of the upload last changed, or undefined when nothing of it is left. */
  async lastActivity(id: string): Promise<Date | undefined> {
    const times = await Promise.all(
      [this.dataPath(id), this.records.path(id)].map((path) =>
        stat(path).then(
          (info) => info.mtimeMs,
          () => 0,
        ),
      ),
    );
    const latest = Math.max(...times);
    return latest > 0 ? new Date(latest) : undefined;
  }

  /**
   * Remove the bytes first (the upload is unreachable at once: `find` needs both), then the record, so that a
   * crash in between leaves a record without bytes, which start-up removes. Never throws for a missing one.
   */
  async remove(id: string): Promise<void> {
    await unlink(this.dataPath(id)).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
    await this.records.delete(id);
  }
}
