/**
 * Retry with exponential backoff, for idempotent steps only: the bulk "have" check, a raw upload (the server
 * stores content once, keyed by its SHA-256, so sending the same bytes twice never stores them twice — see
 * the upload route's OpenAPI description) and reading a download. Never retries what the server refused on
 * purpose (4xx other than 408/429), a full disk (507) or an abort.
 */
import { ApiError } from '../api-error.ts';

export interface RetryOptions {
  /** Attempts after the first one. */
  readonly retries?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly signal?: AbortSignal;
  readonly isRetryable?: (error: unknown) => boolean;
  /** Injected for tests; default a timer that the signal cancels. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Network failures, timeouts, rate limits and 5xx (except 507 disk full) are worth another try. */
export function isTransientError(error: unknown): boolean {
  if (isAbortError(error)) return false;
  if (error instanceof ApiError)
    return error.status === 408 || error.status === 429 || (error.status >= 500 && error.status !== 507);
  // fetch reports a refused/reset connection as a TypeError ("fetch failed") with the socket error as cause.
  return error instanceof TypeError || (error as { code?: unknown } | undefined)?.code === 'ECONNRESET';
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** Delay before retry number `attempt` (0-based): base·2^attempt, capped, with ±25% jitter from `random`. */
export function backoffDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
  const exact = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.round(exact * (0.75 + random() * 0.5));
}

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { retries = 4, baseDelayMs = 500, maxDelayMs = 15_000, signal } = options;
  const isRetryable = options.isRetryable ?? isTransientError;
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 0; ; attempt += 1) {
    signal?.throwIfAborted();
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= retries || signal?.aborted || !isRetryable(error)) throw error;
      await sleep(backoffDelayMs(attempt, baseDelayMs, maxDelayMs), signal);
    }
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
