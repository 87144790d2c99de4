/**
 * One file to the server through tus 1.0 (tus-js-client, the browser's XHR): sent in 8 MiB requests, so
 * a dropped connection costs at most one of them; retried with backoff; and resumable after a reload —
 * tus-js-client keeps the upload URL in localStorage under a fingerprint of the account and the content hash,
 * so picking the same file again continues where it stopped.
 */
import { Upload, type DetailedError } from 'tus-js-client';
import { ResumableUploadHeaders } from '@photosync/protocol';
import { authHeaders } from '../app/api.ts';

export interface TusResult {
  /** The name the server stored the file under. */
  readonly filename: string;
  readonly duplicate: boolean;
}

export interface TusInput {
  readonly file: File;
  readonly sha256: string;
  readonly accountId: number;
  readonly onProgress: (bytesSent: number) => void;
  readonly signal: AbortSignal;
}

const CHUNK_BYTES = 8 * 1024 * 1024;

function failure(error: Error | DetailedError): Error {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  if (!response) return new Error('The upload was interrupted. Check the connection and try again.');
  try {
    const body = JSON.parse(response.getBody()) as { error?: unknown };
    if (typeof body.error === 'string') return new Error(body.error);
  } catch {
    // Not JSON.
  }
  return error;
}

export function uploadWithTus(input: TusInput): Promise<TusResult> {
  const { file, sha256, signal } = input;
  return new Promise((resolve, reject) => {
    const upload = new Upload(file, {
      endpoint: `${window.location.origin}/api/v2/tus`,
      headers: authHeaders(),
      chunkSize: CHUNK_BYTES,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      metadata: { filename: file.name, sha256, filetype: file.type || 'application/octet-stream' },
      fingerprint: () => Promise.resolve(`photosync:${input.accountId}:${sha256}`),
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: (sent) => input.onProgress(sent),
      onSuccess: ({ lastResponse }) => {
        const stored = lastResponse.getHeader(ResumableUploadHeaders.filename);
        resolve({
          filename: stored ? decodeURIComponent(stored) : file.name,
          duplicate: lastResponse.getHeader(ResumableUploadHeaders.duplicate) === 'true',
        });
      },
      onError: (error) => reject(failure(error)),
    });
    signal.addEventListener('abort', () => {
      void upload.abort(false);
      reject(new DOMException('Upload cancelled', 'AbortError'));
    });
    upload.findPreviousUploads().then((previous) => {
      const last = previous[0];
      if (last) upload.resumeFromPreviousUpload(last);
      upload.start();
    }, reject);
  });
}
