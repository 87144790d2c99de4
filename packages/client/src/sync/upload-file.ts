/**
 * Send one file the server lacks: small files as one raw request (a `SizedBody` the platform's sender
 * streams from the file with its Content-Length and its SHA-256 in X-Content-SHA256, so the server checks
 * what it stored), large ones through tus. Raw uploads are retried: they are idempotent by content (the
 * server keys what it stores by SHA-256 and answers "duplicate" for content it has). Tus retries itself.
 * A file that cannot be read, or that the server refuses, is a per-file failure; what makes every further
 * upload pointless (signed out, disk full, server gone, aborted) is thrown.
 * Must never: send a file without its hash, or count bytes the connection did not take.
 */
import { ApiError } from '../api-error.ts';
import { countedChunks, exactly, type SizedBody } from '../sized-body.ts';
import type { BackupClient } from './backup.ts';
import type { PlannedUpload } from './backup-plan.ts';
import { isAbortError, withRetry } from './retry.ts';
import { uploadResumable } from './tus-upload.ts';
import type { FailedFile, LocalFiles, ResumeStore } from './types.ts';

export interface UploadContext {
  readonly client: BackupClient;
  readonly files: LocalFiles;
  readonly resumeStore: ResumeStore;
  readonly chunkSize: number;
  readonly onBytesSent: (bytes: number) => void;
  readonly signal?: AbortSignal;
}

export async function uploadFile(context: UploadContext, upload: PlannedUpload): Promise<'uploaded' | FailedFile> {
  const { client, signal, onBytesSent } = context;
  const { file, sha256 } = upload;
  let readError: unknown;
  const remember = (error: unknown): void => {
    readError = error;
  };
  const reusing = context.files.readReusingBuffer?.bind(context.files);
  const files: LocalFiles = {
    list: (roots) => context.files.list(roots),
    read: (target, start) => rememberReadError(context.files.read(target, start), remember),
    ...(reusing ? { readReusingBuffer: (target, start) => rememberReadError(reusing(target, start), remember) } : {}),
  };
  try {
    if (upload.route === 'resumable') {
      await uploadResumable({
        target: client.resumableUploads(),
        files,
        file,
        sha256,
        resumeStore: context.resumeStore,
        chunkSize: context.chunkSize,
        onBytesSent,
        ...(signal ? { signal } : {}),
      });
    } else {
      const read = (): AsyncIterable<Uint8Array> => (reusing ? reusing(file) : context.files.read(file));
      const body: SizedBody = {
        size: file.size,
        chunks: () => countedChunks(rememberReadError(exactly(read(), file.size), remember), onBytesSent),
        reusesChunks: reusing !== undefined,
      };
      await withRetry(
        () =>
          client.upload(body, {
            filename: file.relativePath.slice(file.relativePath.lastIndexOf('/') + 1),
            sha256,
            ...(file.mediaType ? { mediaType: file.mediaType } : {}),
            ...(signal ? { signal } : {}),
          }),
        { ...(signal ? { signal } : {}), isRetryable: (error) => readError === undefined && isRetryableUpload(error) },
      );
    }
    return 'uploaded';
  } catch (error) {
    if (readError !== undefined) return { path: file.path, error: `cannot read: ${messageOf(readError)}` };
    if (isFatal(error)) throw error;
    return { path: file.path, error: messageOf(error) };
  }
}

function isRetryableUpload(error: unknown): boolean {
  if (isAbortError(error)) return false;
  if (error instanceof ApiError)
    return error.status === 408 || error.status === 429 || (error.status >= 500 && error.status !== 507);
  return true;
}

/** Errors after which no other file can be uploaded either. */
function isFatal(error: unknown): boolean {
  if (isAbortError(error)) return true;
  if (error instanceof ApiError) return [401, 403, 507].includes(error.status);
  // No HTTP answer even after the retries: the server is unreachable.
  return error instanceof TypeError;
}

async function* rememberReadError(chunks: AsyncIterable<Uint8Array>, remember: (error: unknown) => void) {
  try {
    yield* chunks;
  } catch (error) {
    remember(error);
    throw error;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
