/**
 * `nodeRestoreTarget(dir)`: the `RestoreTarget` port over a folder. A download is written to a hidden
 * temporary file, fsynced, then hard-linked to its final name — link() fails when the name exists, so a
 * restore can never replace a file, even one created while it ran — and the folder is fsynced. Only names
 * without path separators are accepted: nothing is ever written outside `dir`.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { RestoreTarget, RestoreWrite } from '../sync/types.ts';
import { syncFolder } from './atomic-file.ts';
import { sha256OfFile } from './file-hash.ts';

export function nodeRestoreTarget(dir: string): RestoreTarget {
  const pathOf = (name: string): string => {
    if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name))
      throw new Error(`unsafe file name ${JSON.stringify(name)}`);
    return join(dir, name);
  };
  return {
    async sizeOf(name) {
      try {
        const info = await stat(pathOf(name));
        // A folder or device under that name is taken, and never equal to a file.
        return info.isFile() ? info.size : -1;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    sha256Of: (name) => sha256OfFile(pathOf(name)),
    async create() {
      await mkdir(dir, { recursive: true });
      const temp = join(dir, `.photosync-restore-${randomUUID()}.part`);
      return new TempFileWrite(temp, await open(temp, 'wx', 0o644), pathOf);
    },
  };
}

class TempFileWrite implements RestoreWrite {
  private handle: FileHandle | undefined;

  constructor(
    private readonly temp: string,
    handle: FileHandle,
    private readonly pathOf: (name: string) => string,
  ) {
    this.handle = handle;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (!this.handle) throw new Error('restore write already finished');
    let offset = 0;
    while (offset < chunk.byteLength) offset += (await this.handle.write(chunk, offset)).bytesWritten;
  }

  async commit(name: string): Promise<boolean> {
    const final = this.pathOf(name);
    if (this.handle) {
      await this.handle.sync();
      await this.handle.close();
      this.handle = undefined;
    }
    try {
      await link(this.temp, final);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
      // No hard links on this file system: check, then rename (a tiny window instead of none).
      if (await exists(final)) return false;
      await rename(this.temp, final);
      await syncFolder(join(final, '..'));
      return true;
    }
    await rm(this.temp, { force: true });
    await syncFolder(join(final, '..'));
    return true;
  }

  async discard(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await rm(this.temp, { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
