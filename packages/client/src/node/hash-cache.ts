/**
 * `FileHashCache`: the `HashCache` port on disk, `{stateDir}/hash-cache.json`, keyed by absolute path and
 * valid only while the file's size and modification time are unchanged. It also remembers the media type
 * the scanner sniffed, so a re-run's scan need not open unchanged files (`knownMediaType`, wired into
 * `nodeLocalFiles`). Written atomically, so a killed run leaves the previous cache or the new one; an
 * unreadable or foreign file, or entry, is ignored (the cost is re-hashing, never a wrong hash).
 */
import { join } from 'node:path';
import type { HashCache, LocalFile } from '../sync/types.ts';
import { readTextIfExists, writeFileAtomic } from './atomic-file.ts';

/** Entries written before media types were remembered have three fields; they are still valid. */
type Entry = readonly [size: number, mtimeMs: number, sha256: string, mediaType?: string];

const MEDIA_TYPE = /^[a-z0-9][\w.+-]{0,63}\/[\w.+-]{1,127}$/i;

const VERSION = 1;

export class FileHashCache implements HashCache {
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  /** Load the cache kept in `stateDir` (an empty one when there is none yet). */
  static async open(stateDir: string): Promise<FileHashCache> {
    const path = join(stateDir, 'hash-cache.json');
    return new FileHashCache(path, parseEntries(await readTextIfExists(path)));
  }

  get size(): number {
    return this.entries.size;
  }

  get(file: LocalFile): string | undefined {
    return this.current(file)?.[2];
  }

  /** The media type sniffed when the unchanged file at `path` was hashed, if it was remembered. */
  knownMediaType(file: Pick<LocalFile, 'path' | 'size' | 'mtimeMs'>): string | undefined {
    return this.current(file)?.[3];
  }

  /** Remember a hash (and the file's media type); setting what is already there changes nothing. */
  set(file: LocalFile, sha256: string): void {
    const entry: Entry = file.mediaType
      ? [file.size, file.mtimeMs, sha256, file.mediaType]
      : [file.size, file.mtimeMs, sha256];
    const old = this.entries.get(file.path);
    if (old?.length === entry.length && old.every((value, i) => value === entry[i])) return;
    this.entries.set(file.path, entry);
    this.dirty = true;
  }

  private current(file: Pick<LocalFile, 'path' | 'size' | 'mtimeMs'>): Entry | undefined {
    const entry = this.entries.get(file.path);
    return entry && entry[0] === file.size && entry[1] === file.mtimeMs ? entry : undefined;
  }

  /** Write what changed since the last flush; flushes never overlap. */
  flush(): Promise<void> {
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        if (!this.dirty) return;
        this.dirty = false;
        try {
          await writeFileAtomic(
            this.path,
            JSON.stringify({ version: VERSION, entries: Object.fromEntries(this.entries) }),
          );
        } catch (error) {
          this.dirty = true;
          throw error;
        }
      });
    return this.writing;
  }
}

function parseEntries(text: string | undefined): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  if (text === undefined) return entries;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return entries;
  }
  const document = parsed as { version?: unknown; entries?: unknown };
  if (document.version !== VERSION || typeof document.entries !== 'object' || document.entries === null) return entries;
  for (const [path, value] of Object.entries(document.entries)) {
    if (!Array.isArray(value) || (value.length !== 3 && value.length !== 4)) continue;
    const [size, mtimeMs, sha256, mediaType] = value as unknown[];
    if (
      typeof size === 'number' &&
      typeof mtimeMs === 'number' &&
      typeof sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(sha256)
    )
      entries.set(
        path,
        typeof mediaType === 'string' && MEDIA_TYPE.test(mediaType)
          ? [size, mtimeMs, sha256, mediaType]
          : [size, mtimeMs, sha256],
      );
  }
  return entries;
}
