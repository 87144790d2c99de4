/**
 * Downloads release assets: small text assets into memory, the archive onto disk while it is hashed.
 * A download that ends early (connection cut, fewer bytes than announced) or runs past a size bound is an
 * error, never a shorter file taken as complete. Nothing downloaded here is trusted until it is verified.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
}

export interface DownloadOptions {
  readonly fetch?: typeof fetch;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

/** A small asset (checksum, signature) as text. */
export async function downloadText(url: string, options: DownloadOptions): Promise<string> {
  const parts: Buffer[] = [];
  await download(url, options, (chunk) => {
    parts.push(chunk);
  });
  return Buffer.concat(parts).toString('utf8');
}

/** Stream an asset into `path` (created 0600); returns its size and SHA-256. */
export async function downloadFile(
  url: string,
  path: string,
  options: DownloadOptions,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  const file = createWriteStream(path, { mode: 0o600 });
  try {
    const bytes = await download(url, options, async (chunk) => {
      hash.update(chunk);
      if (!file.write(chunk)) await once(file, 'drain');
    });
    file.end();
    await finished(file);
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    file.destroy();
  }
}

/** Fetch `url` and hand every chunk to `onChunk`; returns the byte count once the body is complete. */
async function download(
  url: string,
  options: DownloadOptions,
  onChunk: (chunk: Buffer) => void | Promise<void>,
): Promise<number> {
  let received = 0;
  let announced: number | undefined;
  try {
    const response = await (options.fetch ?? fetch)(url, {
      headers: { accept: 'application/octet-stream', 'user-agent': options.userAgent },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!response.ok || !response.body) throw new DownloadError(`cannot download ${url}: HTTP ${response.status}`);
    const length = response.headers.get('content-length');
    announced = length === null ? undefined : Number(length);
    if (announced !== undefined && announced > options.maxBytes) {
      throw new DownloadError(`${url} is larger than the ${options.maxBytes}-byte limit`);
    }
    for await (const chunk of Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)) {
      received += (chunk as Buffer).length;
      if (received > options.maxBytes)
        throw new DownloadError(`${url} is larger than the ${options.maxBytes}-byte limit`);
      await onChunk(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    throw new DownloadError(`download of ${url} failed after ${received} bytes: ${describe(error)}`);
  }
  if (announced !== undefined && announced !== received) {
    throw new DownloadError(`download of ${url} was cut off: ${received} of ${announced} bytes arrived`);
  }
  return received;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}
