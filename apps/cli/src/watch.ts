/**
 * `--watch`: notice changes under the backed-up folders (fs.watch, recursive — supported on Linux since
 * Node 20, and on macOS/Windows) and report them once things are quiet for `debounceMs`, so a camera import
 * of 500 files triggers one backup, not 500. Changes to hidden entries (trash, temporary files) are ignored.
 */
import { watch, type FSWatcher } from 'node:fs';

export class ChangeFeed {
  private readonly watchers: FSWatcher[];
  private timer: NodeJS.Timeout | undefined;
  private ready = false;
  private waiter: ((changed: boolean) => void) | undefined;

  constructor(
    folders: readonly string[],
    private readonly debounceMs = 2000,
  ) {
    this.watchers = folders.map((folder) =>
      watch(folder, { recursive: true }, (_event, name) => {
        if (
          name &&
          String(name)
            .split(/[/\\]/)
            .some((part) => part.startsWith('.'))
        )
          return;
        this.changed();
      }),
    );
  }

  /** Resolves true after the next quiet change (or at once if one is pending), false when `signal` aborts. */
  next(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.ready) {
      this.ready = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.waiter = undefined;
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = (changed) => {
        signal.removeEventListener('abort', onAbort);
        resolve(changed);
      };
    });
  }

  close(): void {
    clearTimeout(this.timer);
    for (const watcher of this.watchers) watcher.close();
  }

  private changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const waiter = this.waiter;
      this.waiter = undefined;
      if (waiter) waiter(true);
      else this.ready = true;
    }, this.debounceMs);
  }
}
