/**
 * Directories a store has made, so that writing a new entry into one (a staging file, a published blob) does
 * not cost a mkdir round trip every time. A directory removed behind our back (an account's folder deleted,
 * an administrator tidying up) shows as ENOENT from the entry's creation: it is made again and the creation
 * retried once.
 * Must never: hide an error other than the missing directory, or retry more than once.
 */
import { mkdir } from 'node:fs/promises';
import { isNotFound, mapWriteError } from './fs-errors.ts';

export class KnownDirectories {
  private readonly made = new Set<string>();

  /** Run `create` (which makes an entry in `directory`), making the directory first when not known. */
  async within<T>(directory: string, create: () => Promise<T>): Promise<T> {
    if (!this.made.has(directory)) await this.make(directory);
    try {
      return await create();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      this.made.delete(directory);
      await this.make(directory);
      return create();
    }
  }

  private async make(directory: string): Promise<void> {
    await mkdir(directory, { recursive: true, mode: 0o700 }).catch(mapWriteError);
    this.made.add(directory);
  }
}
