/** Filesystem error translation and directory fsync for the fs BlobStore. */
import { open } from 'node:fs/promises';
import { StorageFullError } from './blob-store.ts';

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** Rethrow a write failure, turning "disk full" into StorageFullError. */
export function mapWriteError(error: unknown): never {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && FULL_CODES.has(code)) throw new StorageFullError('Not enough free space to store the file');
  throw error;
}

/** Make a rename/link/unlink in `directory` durable. Platforms that cannot fsync a directory are tolerated. */
export async function fsyncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') mapWriteError(error);
  } finally {
    await handle?.close();
  }
}
