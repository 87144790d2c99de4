/** Streaming SHA-256 of a file with node:crypto: constant memory whatever the file size. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

const READ_CHUNK = 1024 * 1024;

/** Lowercase hex SHA-256 of the file at `path`. */
export async function sha256OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK, ...(signal ? { signal } : {}) });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
