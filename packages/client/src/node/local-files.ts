/**
 * `nodeLocalFiles()`: the `LocalFiles` port over the file system. Walks folders in a stable (name) order,
 * skips hidden entries (dot files and folders, which includes the dedupe trash `.photosync-trash`) and any
 * folder listed in `exclude`, does not follow symbolic links to folders (no loops), and keeps a file when
 * its first bytes are a photo or video signature (or `knownMediaType` vouches for it, unchanged since it was
 * sniffed). A file it cannot open is kept only when its name says it is a photo or video, so the backup
 * reports it instead of silently skipping it. Never writes anything.
 */
import { createReadStream } from 'node:fs';
import { open, opendir, stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { isDocumentName, mediaTypeOfName, sniffMedia, SNIFF_BYTES } from '../sync/media-sniff.ts';
import type { LocalFile, LocalFiles } from '../sync/types.ts';
import { pooledReads } from './pooled-reads.ts';

export interface NodeLocalFilesOptions {
  /** Absolute folders never to enter (e.g. a trash folder that is not hidden). */
  readonly exclude?: readonly string[];
  /**
   * The media type of a file examined in an earlier run and unchanged since (same path, size and
   * modification time), e.g. `FileHashCache.knownMediaType`: such a file is not opened to be sniffed again.
   */
  readonly knownMediaType?: (file: { path: string; size: number; mtimeMs: number }) => string | undefined;
}

const READ_CHUNK = 256 * 1024;
/** Files of one folder examined at once while scanning. */
const PARALLEL_FILES = 32;

/** What one scan needs at every level of the walk. */
interface Scan {
  readonly excluded: ReadonlySet<string>;
  readonly knownMediaType: NonNullable<NodeLocalFilesOptions['knownMediaType']>;
}

export function nodeLocalFiles(options: NodeLocalFilesOptions = {}): LocalFiles {
  const scan: Scan = {
    excluded: new Set((options.exclude ?? []).map((folder) => resolve(folder))),
    knownMediaType: options.knownMediaType ?? (() => undefined),
  };
  const reads = pooledReads();
  return {
    async *list(roots) {
      const seen = new Set<string>();
      for (const root of roots) {
        const absolute = resolve(root);
        const info = await stat(absolute);
        const found = info.isDirectory() ? walk(scan, absolute, absolute) : single(scan, absolute, basename(absolute));
        for await (const file of found) {
          if (seen.has(file.path)) continue;
          seen.add(file.path);
          yield file;
        }
      }
    },
    async *read(file, start = 0) {
      yield* createReadStream(file.path, { start, highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>;
    },
    readReusingBuffer: (file, start) => reads.readReusingBuffer(file.path, file.size, start),
    sha256: (file, signal) => reads.sha256(file.path, file.size, signal),
  };
}

async function* walk(scan: Scan, root: string, folder: string): AsyncIterable<LocalFile> {
  const names: { name: string; isDirectory: boolean; isFile: boolean; isLink: boolean }[] = [];
  const listing = await opendir(folder).catch((error: unknown) => {
    if (folder === root) throw error;
    return undefined; // A sub-folder that cannot be listed holds nothing we could back up.
  });
  for await (const entry of listing ?? []) {
    if (entry.name.startsWith('.')) continue;
    names.push({
      name: entry.name,
      isDirectory: entry.isDirectory(),
      isFile: entry.isFile(),
      isLink: entry.isSymbolicLink(),
    });
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Files of one folder are examined a batch at a time (stat + first bytes in parallel), in name order.
  let batch: Promise<LocalFile | undefined>[] = [];
  const flush = async function* (): AsyncIterable<LocalFile> {
    for (const file of await Promise.all(batch)) if (file) yield file;
    batch = [];
  };
  for (const entry of names) {
    const path = join(folder, entry.name);
    if (entry.isDirectory) {
      yield* flush();
      if (!scan.excluded.has(path)) yield* walk(scan, root, path);
      continue;
    }
    if (!entry.isFile && !entry.isLink) continue; // FIFOs, sockets, devices: never photos; a FIFO would block.
    batch.push(
      examine(
        scan,
        path,
        path
          .slice(root.length + 1)
          .split(sep)
          .join('/'),
      ),
    );
    if (batch.length >= PARALLEL_FILES) yield* flush();
  }
  yield* flush();
}

async function* single(scan: Scan, path: string, relativePath: string): AsyncIterable<LocalFile> {
  const file = await examine(scan, path, relativePath);
  if (file) yield file;
}

/** The file as a `LocalFile` when it is a photo or video; undefined when it is not (or is gone). */
async function examine(scan: Scan, path: string, relativePath: string): Promise<LocalFile | undefined> {
  const info = await stat(path).catch(() => undefined); // Gone since listed, or a dangling link.
  if (!info?.isFile() || info.size === 0 || isDocumentName(path)) return undefined;
  const { size, mtimeMs } = info;
  const mediaType = scan.knownMediaType({ path, size, mtimeMs }) ?? (await sniffFile(path));
  return mediaType ? { path, relativePath, size, mtimeMs, mediaType } : undefined;
}

/** The sniffed media type; the name's when the file cannot be opened; undefined when it is not media. */
async function sniffFile(path: string): Promise<string | undefined> {
  let head: Uint8Array;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return mediaTypeOfName(path);
  }
  return sniffMedia(head, path)?.mediaType;
}
