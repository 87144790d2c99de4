/**
 * One large file through tus 1.0 (tus-js-client), resumable from the server's last acknowledged byte:
 * - after a dropped connection, tus-js-client asks the server for the offset (HEAD) and continues from it;
 * - after a killed process, the upload URL saved in the `ResumeStore` under the file's SHA-256 (saved before
 *   the first byte is sent) lets the next run continue the same upload instead of starting over.
 * The file is sent in `chunkSize` PATCH requests, so at most one chunk is ever sent twice. The server checks
 * the SHA-256 declared in the metadata when the last byte arrives and stores nothing on a mismatch.
 */
import type { DetailedError, Upload } from 'tus-js-client';
import { ApiError } from '../api-error.ts';
import { takeBytes, type SendSizedBody, type SizedBody } from '../sized-body.ts';
import { FetchHttpStack } from './tus-http-stack.ts';
import type { LocalFile, LocalFiles, ResumeStore } from './types.ts';

type TusOptions = ConstructorParameters<typeof Upload>[1];
type UrlStorage = NonNullable<TusOptions['urlStorage']>;
type FileReader = NonNullable<TusOptions['fileReader']>;

/** Where and as whom resumable uploads are sent (see `PhotoSyncClient.resumableUploads`). */
export interface TusTarget {
  readonly endpoint: string;
  readonly fetch: typeof globalThis.fetch;
  /** Sends the PATCH bodies; default: a ReadableStream through `fetch`. */
  readonly sendSizedBody?: SendSizedBody;
  headers(): Record<string, string>;
}

export interface ResumableUploadInput {
  readonly target: TusTarget;
  readonly files: LocalFiles;
  readonly file: LocalFile;
  readonly sha256: string;
  readonly resumeStore: ResumeStore;
  readonly chunkSize: number;
  readonly onBytesSent: (bytes: number) => void;
  readonly signal?: AbortSignal;
}

export interface StoredUpload {
  /** The name the server stored the file under. */
  readonly filename: string | undefined;
  readonly duplicate: boolean;
}

/** Delays between tries of one request; reset whenever the server acknowledged new bytes. */
const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000];

export async function uploadResumable(input: ResumableUploadInput): Promise<StoredUpload> {
  const { target, file, sha256, resumeStore, signal } = input;
  // Loaded on use: most photos go in one request, and the CLI starts faster without it.
  const tus = await import('tus-js-client');
  return new Promise<StoredUpload>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const upload: Upload = new tus.Upload(file as unknown as Buffer, {
      endpoint: target.endpoint,
      headers: target.headers(),
      chunkSize: input.chunkSize,
      uploadSize: file.size,
      retryDelays: RETRY_DELAYS_MS,
      metadata: {
        filename: baseName(file.relativePath),
        sha256,
        filetype: file.mediaType ?? 'application/octet-stream',
      },
      fingerprint: () => Promise.resolve(sha256),
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: false,
      urlStorage: resumeUrlStorage(resumeStore, target.endpoint),
      fileReader: localFilesReader(input.files, file),
      httpStack: new FetchHttpStack(target, input.onBytesSent),
      onShouldRetry: (error) => isRetryableStatus(error.originalResponse?.getStatus()),
      onSuccess: ({ lastResponse }) => {
        signal?.removeEventListener('abort', onAbort);
        const stored = lastResponse.getHeader('X-PhotoSync-Filename');
        resumeStore.delete(sha256).then(
          () =>
            resolve({
              filename: stored === undefined ? undefined : decodeURIComponent(stored),
              duplicate: /^(true|1)$/i.test(lastResponse.getHeader('X-PhotoSync-Duplicate') ?? ''),
            }),
          reject,
        );
      },
      onError: (error) => {
        signal?.removeEventListener('abort', onAbort);
        const failure = toApiError(error);
        // Refused for good (SHA-256 mismatch, gone, too large): that upload cannot be resumed, so forget it.
        // Not on 401/403: after signing in again the same upload continues.
        const refused = failure instanceof ApiError && [400, 404, 410, 413].includes(failure.status);
        (refused ? resumeStore.delete(sha256) : Promise.resolve()).then(
          () => reject(failure),
          () => reject(failure),
        );
      },
    });
    const onAbort = (): void => {
      void upload.abort(false);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    upload.findPreviousUploads().then((previous) => {
      const last = previous[0];
      if (last) upload.resumeFromPreviousUpload(last);
      upload.start();
    }, reject);
  });
}

/** Network failures (no status), conflicts/locks, timeouts, rate limits and 5xx except a full disk. */
function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined || status === 0) return true;
  return status === 408 || status === 409 || status === 423 || status === 429 || (status >= 500 && status !== 507);
}

function baseName(relativePath: string): string {
  return relativePath.slice(relativePath.lastIndexOf('/') + 1);
}

/** tus-js-client's URL storage over our `ResumeStore`: the fingerprint is the content SHA-256. */
function resumeUrlStorage(store: ResumeStore, endpoint: string): UrlStorage {
  return {
    findAllUploads: () => Promise.resolve([]),
    findUploadsByFingerprint: async (sha256) => {
      const uploadUrl = await store.get(sha256);
      // A URL saved for another server (the state dir was reused) is not ours to resume.
      if (!uploadUrl?.startsWith(`${endpoint}/`)) return [];
      return [
        { size: null, metadata: {}, creationTime: '', urlStorageKey: sha256, uploadUrl, parallelUploadUrls: null },
      ];
    },
    removeUpload: (sha256) => store.delete(sha256),
    addUpload: async (sha256, upload) => {
      if (upload.uploadUrl) await store.set(sha256, upload.uploadUrl);
      return sha256;
    },
  };
}

/**
 * tus-js-client's file reader over the `LocalFiles` port: each slice streams from the file when sent,
 * through one reused buffer when the platform reads that way.
 */
function localFilesReader(files: LocalFiles, file: LocalFile): FileReader {
  const reusing = files.readReusingBuffer?.bind(files);
  const read = (start: number): AsyncIterable<Uint8Array> => (reusing ? reusing(file, start) : files.read(file, start));
  return {
    openFile: () =>
      Promise.resolve({
        size: file.size,
        slice: (start: number, end: number) => {
          const stop = Math.min(end, file.size);
          const value: SizedBody = {
            size: stop - start,
            chunks: () => takeBytes(read(start), stop - start),
            reusesChunks: reusing !== undefined,
          };
          return Promise.resolve({ value, done: stop >= file.size });
        },
        close: () => undefined,
      }),
  };
}

/** The server's `{error, code}` answer as an ApiError, so callers map statuses the same way as other calls. */
function toApiError(error: Error | DetailedError): Error {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  if (!response) {
    const cause = 'causingError' in error ? error.causingError : null;
    return cause ?? error;
  }
  let body: unknown = response.getBody();
  try {
    body = JSON.parse(response.getBody());
  } catch {
    // Not JSON: keep the text.
  }
  const fields = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; code?: unknown };
  const message =
    typeof fields.error === 'string' ? fields.error : `HTTP ${response.getStatus()} from the upload server`;
  return new ApiError(response.getStatus(), typeof fields.code === 'string' ? fields.code : undefined, message, body);
}
