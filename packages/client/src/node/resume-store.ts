/**
 * `FileResumeStore`: the `ResumeStore` port on disk, `{stateDir}/tus-uploads.json` (content SHA-256 → tus
 * upload URL). Every change is written atomically before the upload goes on, so a run killed at any moment
 * finds the URL of the upload it had started. A torn or foreign file only costs a fresh upload.
 */
import { join } from 'node:path';
import type { ResumeStore } from '../sync/types.ts';
import { readTextIfExists, writeFileAtomic } from './atomic-file.ts';

export class FileResumeStore implements ResumeStore {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly urls: Map<string, string>,
  ) {}

  static async open(stateDir: string): Promise<FileResumeStore> {
    const path = join(stateDir, 'tus-uploads.json');
    return new FileResumeStore(path, parseUrls(await readTextIfExists(path)));
  }

  get(sha256: string): Promise<string | undefined> {
    return Promise.resolve(this.urls.get(sha256));
  }

  set(sha256: string, uploadUrl: string): Promise<void> {
    this.urls.set(sha256, uploadUrl);
    return this.save();
  }

  delete(sha256: string): Promise<void> {
    if (!this.urls.delete(sha256)) return Promise.resolve();
    return this.save();
  }

  /** Writes are queued so the file always holds the latest map. */
  private save(): Promise<void> {
    this.writing = this.writing
      .catch(() => undefined)
      .then(() => writeFileAtomic(this.path, JSON.stringify(Object.fromEntries(this.urls))));
    return this.writing;
  }
}

function parseUrls(text: string | undefined): Map<string, string> {
  const urls = new Map<string, string>();
  if (text === undefined) return urls;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return urls;
    for (const [sha256, url] of Object.entries(parsed))
      if (/^[0-9a-f]{64}$/.test(sha256) && typeof url === 'string') urls.set(sha256, url);
  } catch {
    // Torn or foreign: start afresh.
  }
  return urls;
}
