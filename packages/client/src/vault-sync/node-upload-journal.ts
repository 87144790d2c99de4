/**
 * Node adapter of the StealthCloud upload journal: one JSON file (mode 0600), replaced atomically (temp file,
 * fsync, rename, folder fsync: node/atomic-file.ts), so a run killed at any point leaves either the old or
 * the new journal. A missing or damaged file is an empty journal: the worst case is re-uploading a file,
 * never a wrong key. Exported from `@photosync/client/node`.
 * Must never hold a raw key (entries carry file keys wrapped by the master key only).
 */
import { readTextIfExists, writeFileAtomic } from '../node/atomic-file.ts';
import type { UploadJournalEntry, VaultUploadJournal } from './upload-journal.ts';
import { readJournalEntry } from './upload-journal.ts';

interface JournalFile {
  readonly version: 1;
  readonly entries: Record<string, UploadJournalEntry>;
}

function parseEntries(text: string | undefined): Map<string, UploadJournalEntry> {
  const entries = new Map<string, UploadJournalEntry>();
  if (text === undefined) return entries;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return entries; // damaged: start over (costs re-uploads, nothing else)
  }
  const stored = (parsed as Partial<JournalFile> | null)?.entries;
  if (typeof stored !== 'object' || stored === null) return entries;
  for (const [filePath, value] of Object.entries(stored)) {
    const entry = readJournalEntry(value);
    if (entry) entries.set(filePath, entry);
  }
  return entries;
}

/** Open (or start) the journal stored at `path`, e.g. `<state dir>/vault-upload-journal.json`. */
export async function nodeUploadJournal(path: string): Promise<VaultUploadJournal> {
  const entries = parseEntries(await readTextIfExists(path));
  let dirty = false;
  let writing: Promise<void> = Promise.resolve();

  const write = async (): Promise<void> => {
    if (!dirty) return;
    dirty = false;
    const body: JournalFile = { version: 1, entries: Object.fromEntries(entries) };
    try {
      await writeFileAtomic(path, JSON.stringify(body));
    } catch (error) {
      dirty = true;
      throw error;
    }
  };

  return {
    get: (filePath) => entries.get(filePath),
    set: (filePath, entry) => {
      entries.set(filePath, entry);
      dirty = true;
    },
    delete: (filePath) => {
      dirty = entries.delete(filePath) || dirty;
    },
    // Serialised: concurrent file workers flush the same file.
    flush: () => {
      writing = writing.catch(() => undefined).then(write);
      return writing;
    },
  };
}
