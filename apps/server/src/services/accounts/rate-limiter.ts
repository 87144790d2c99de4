/**
 * Fixed-window attempt counter for authentication endpoints, keyed by client address and by email.
 * In memory: correct for one server process (the embedded deployment). Entries expire with their window.
 */
import { TooManyRequests } from '../errors.ts';

interface Window {
  count: number;
  resetAt: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Count one attempt for `key`; throws TooManyRequests once more than `max` fall in the window. */
  hit(key: string, max: number): void {
    const now = this.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count > max) throw new TooManyRequests(Math.max(1, Math.ceil((window.resetAt - now) / 1000)));
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
