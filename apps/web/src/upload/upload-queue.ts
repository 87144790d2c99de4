/**
 * The browser's upload queue: each picked file is hashed, checked against the library (already there →
 * "already backed up", nothing sent), then sent resumably; two at a time. Plain state for the page to show
 * per-file and total progress.
 */
import { useCallback, useRef, useState } from 'react';
import { api, explain } from '../app/api.ts';
import { currentSession } from '../app/session-store.ts';
import { sha256OfFile } from './hash-file.ts';
import { uploadWithTus } from './tus-upload.ts';

export type UploadStatus = 'waiting' | 'hashing' | 'uploading' | 'done' | 'duplicate' | 'failed';

export interface UploadEntry {
  readonly id: number;
  readonly file: File;
  readonly status: UploadStatus;
  /** Bytes hashed (while hashing) or sent (while uploading). */
  readonly bytes: number;
  /** Stored name (done), the name it is stored under (duplicate), or why it failed. */
  readonly note: string | undefined;
}

const PARALLEL_UPLOADS = 2;
let nextId = 1;

export interface UploadQueue {
  readonly entries: readonly UploadEntry[];
  readonly add: (files: Iterable<File>) => void;
  readonly retry: (entry: UploadEntry) => void;
  readonly clearFinished: () => void;
}

export function useUploadQueue(onStored: () => void): UploadQueue {
  const [entries, setEntries] = useState<readonly UploadEntry[]>([]);
  const running = useRef(0);
  const waiting = useRef<UploadEntry[]>([]);
  const controller = useRef(new AbortController());

  const update = useCallback((id: number, change: Partial<UploadEntry>) => {
    setEntries((old) => old.map((entry) => (entry.id === id ? { ...entry, ...change } : entry)));
  }, []);

  const process = useCallback(
    async (entry: UploadEntry) => {
      const { id, file } = entry;
      try {
        update(id, { status: 'hashing', bytes: 0 });
        const sha256 = await sha256OfFile(file, (bytes) => update(id, { bytes }));
        const known = (await api().haveFiles([sha256])).have[0];
        if (known) {
          update(id, { status: 'duplicate', bytes: file.size, note: known.filename });
          return;
        }
        update(id, { status: 'uploading', bytes: 0 });
        const result = await uploadWithTus({
          file,
          sha256,
          accountId: currentSession()?.userId ?? 0,
          signal: controller.current.signal,
          onProgress: (bytes) => update(id, { bytes }),
        });
        update(id, { status: result.duplicate ? 'duplicate' : 'done', bytes: file.size, note: result.filename });
        onStored();
      } catch (error) {
        update(id, { status: 'failed', note: explain(error) });
      }
    },
    [onStored, update],
  );

  const pump = useCallback(() => {
    while (running.current < PARALLEL_UPLOADS && waiting.current.length > 0) {
      const entry = waiting.current.shift();
      if (!entry) break;
      running.current += 1;
      void process(entry).finally(() => {
        running.current -= 1;
        pump();
      });
    }
  }, [process]);

  const add = useCallback(
    (files: Iterable<File>) => {
      const added = [...files]
        .filter((file) => file.size > 0)
        .map((file): UploadEntry => ({ id: nextId++, file, status: 'waiting', bytes: 0, note: undefined }));
      setEntries((old) => [...old, ...added]);
      waiting.current.push(...added);
      pump();
    },
    [pump],
  );

  const retry = useCallback(
    (entry: UploadEntry) => {
      update(entry.id, { status: 'waiting', bytes: 0, note: undefined });
      waiting.current.push(entry);
      pump();
    },
    [pump, update],
  );

  const clearFinished = useCallback(() => {
    setEntries((old) => old.filter((entry) => entry.status !== 'done' && entry.status !== 'duplicate'));
  }, []);

  return { entries, add, retry, clearFinished };
}

/** Bytes accounted for across the queue: sent, or skipped because the server has them. */
export function totals(entries: readonly UploadEntry[]): { done: number; total: number; finished: number } {
  let done = 0;
  let total = 0;
  let finished = 0;
  for (const entry of entries) {
    total += entry.file.size;
    if (entry.status === 'uploading') done += entry.bytes;
    if (entry.status === 'done' || entry.status === 'duplicate') {
      done += entry.file.size;
      finished += 1;
    }
  }
  return { done, total, finished };
}
