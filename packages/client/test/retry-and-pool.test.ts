// Small tests: backoff only for transient errors, and bounded concurrency that stops on a fatal error.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.ts';
import { backoffDelayMs, isTransientError, withRetry } from '../src/sync/retry.ts';
import { runPool } from '../src/sync/task-pool.ts';

describe('withRetry', () => {
  const noSleep = (delays: number[]) => (ms: number) => {
    delays.push(ms);
    return Promise.resolve();
  };

  it('retries transient failures with growing delays, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      () => {
        calls += 1;
        if (calls < 3) throw new ApiError(503, undefined, 'busy', {});
        return Promise.resolve('ok');
      },
      { baseDelayMs: 100, sleep: noSleep(delays) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toHaveLength(2);
    expect(delays[1]!).toBeGreaterThan(delays[0]!);
  });

  it('does not retry what the server refused on purpose, nor a full disk', async () => {
    for (const status of [400, 401, 403, 404, 413, 507]) {
      let calls = 0;
      await expect(
        withRetry(
          () => {
            calls += 1;
            throw new ApiError(status, undefined, 'no', {});
          },
          { sleep: noSleep([]) },
        ),
      ).rejects.toThrow('no');
      expect(calls).toBe(1);
    }
  });

  it('gives up after the configured retries', async () => {
    let calls = 0;
    await expect(
      withRetry(
        () => {
          calls += 1;
          throw new TypeError('fetch failed');
        },
        { retries: 2, sleep: noSleep([]) },
      ),
    ).rejects.toThrow('fetch failed');
    expect(calls).toBe(3);
  });
});

describe('isTransientError / backoffDelayMs', () => {
  it('classifies errors', () => {
    expect(isTransientError(new TypeError('fetch failed'))).toBe(true);
    expect(isTransientError(new ApiError(429, 'RATE_LIMITED', 'slow down', {}))).toBe(true);
    expect(isTransientError(new ApiError(500, undefined, 'oops', {}))).toBe(true);
    expect(isTransientError(new ApiError(507, undefined, 'full', {}))).toBe(false);
    expect(isTransientError(new DOMException('Aborted', 'AbortError'))).toBe(false);
  });

  it('doubles up to a cap, with jitter within ±25%', () => {
    expect(backoffDelayMs(0, 100, 10_000, () => 0.5)).toBe(100);
    expect(backoffDelayMs(3, 100, 10_000, () => 0.5)).toBe(800);
    expect(backoffDelayMs(20, 100, 10_000, () => 0.5)).toBe(10_000);
    expect(backoffDelayMs(1, 100, 10_000, () => 0)).toBe(150);
    expect(backoffDelayMs(1, 100, 10_000, () => 1)).toBe(250);
  });
});

describe('runPool', () => {
  it('never runs more than `concurrency` workers at once and visits every item', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (item) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        seen.push(item);
        inFlight -= 1;
      },
    );
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('starts nothing new after a fatal error and throws it', async () => {
    const started: number[] = [];
    await expect(
      runPool([0, 1, 2, 3, 4, 5], 2, async (item) => {
        started.push(item);
        await Promise.resolve();
        if (item === 1) throw new Error('signed out');
      }),
    ).rejects.toThrow('signed out');
    expect(started.length).toBeLessThan(6);
  });
});
