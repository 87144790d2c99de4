/** RateLimiter: fixed window per key, with an injected clock. */
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/services/accounts/rate-limiter.ts';
import { TooManyRequests } from '../../src/services/errors.ts';

function limiterAt(windowMs: number) {
  const clock = { now: 1_000_000 };
  return { clock, limiter: new RateLimiter(windowMs, () => clock.now) };
}

function refusal(action: () => void): TooManyRequests {
  try {
    action();
  } catch (error) {
    if (error instanceof TooManyRequests) return error;
    throw error;
  }
  throw new Error('expected TooManyRequests');
}

describe('RateLimiter', () => {
  it('allows `max` hits in a window and refuses the next with 429 RATE_LIMITED', () => {
    const { limiter } = limiterAt(60_000);
    for (let i = 0; i < 3; i += 1) limiter.hit('login:a', 3);
    const error = refusal(() => limiter.hit('login:a', 3));
    expect(error.status).toBe(429);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(60);
  });

  it('keeps separate counts per key', () => {
    const { limiter } = limiterAt(60_000);
    limiter.hit('login:a', 1);
    expect(() => limiter.hit('login:b', 1)).not.toThrow();
    expect(() => limiter.hit('login:a', 1)).toThrow(TooManyRequests);
  });

  it('reports the seconds left in the window, rounded up', () => {
    const { clock, limiter } = limiterAt(60_000);
    limiter.hit('k', 1);
    clock.now += 15_000;
    expect(refusal(() => limiter.hit('k', 1)).retryAfterSeconds).toBe(45);
    clock.now += 44_500;
    expect(refusal(() => limiter.hit('k', 1)).retryAfterSeconds).toBe(1);
  });

  it('starts a fresh window once the old one has passed', () => {
    const { clock, limiter } = limiterAt(60_000);
    limiter.hit('k', 2);
    limiter.hit('k', 2);
    expect(() => limiter.hit('k', 2)).toThrow(TooManyRequests);
    clock.now += 59_999;
    expect(() => limiter.hit('k', 2)).toThrow(TooManyRequests);
    clock.now += 1;
    expect(() => limiter.hit('k', 2)).not.toThrow();
    expect(() => limiter.hit('k', 2)).not.toThrow();
    expect(() => limiter.hit('k', 2)).toThrow(TooManyRequests);
  });

  it('forgets expired keys without affecting live ones', () => {
    const { clock, limiter } = limiterAt(1_000);
    limiter.hit('old', 1);
    clock.now += 500;
    limiter.hit('live', 1);
    clock.now += 600;
    expect(() => limiter.hit('old', 1)).not.toThrow();
    expect(() => limiter.hit('live', 1)).toThrow(TooManyRequests);
  });
});
