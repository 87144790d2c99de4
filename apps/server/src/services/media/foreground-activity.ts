/**
 * "Backups first": uploads in progress are foreground work; media jobs (thumbnails, metadata) are background
 * work that waits until no upload has been receiving bytes for `quietMs`. On a small home server a phone
 * dumping a thousand photos then gets the whole machine, and thumbnails follow as soon as it pauses.
 */
export class ForegroundActivity {
  private active = 0;
  private lastEnded = 0;
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly quietMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Mark one foreground task as running; call the returned function when it ends (exactly once). */
  begin(): () => void {
    this.active += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.active -= 1;
      this.lastEnded = this.now();
      this.schedule();
    };
  }

  /** Resolves once no foreground task has run for `quietMs` (at once when already quiet), or on abort. */
  whenQuiet(signal?: AbortSignal): Promise<void> {
    if (this.isQuiet() || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      signal?.addEventListener('abort', () => resolve(), { once: true });
      this.schedule();
    });
  }

  private isQuiet(): boolean {
    return this.active === 0 && this.now() - this.lastEnded >= this.quietMs;
  }

  private schedule(): void {
    if (this.timer || this.waiters.length === 0 || this.active > 0) return;
    const wait = Math.max(0, this.lastEnded + this.quietMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.isQuiet()) return this.schedule();
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }, wait);
    this.timer.unref();
  }
}
