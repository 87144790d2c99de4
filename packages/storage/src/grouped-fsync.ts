/**
 * Group commit for fsync: callers that need "everything written to this path so far is durable" share
 * fsyncs. A call that arrives while an fsync of the same path runs waits for the next one (the running one may
 * have started before the caller's write), and all such late callers share that next fsync. Under concurrent
 * uploads this turns one fsync per upload into one per batch, with the same guarantee for each caller.
 */
export type SyncPath = (path: string) => Promise<void>;

interface PathState {
  running: Promise<void> | undefined;
  next: Promise<void> | undefined;
}

export class GroupedFsync {
  private readonly paths = new Map<string, PathState>();

  constructor(private readonly syncPath: SyncPath) {}

  /** Resolves once every write to `path` made before this call is on stable storage. */
  sync(path: string): Promise<void> {
    let state = this.paths.get(path);
    if (!state) {
      state = { running: undefined, next: undefined };
      this.paths.set(path, state);
    }
    const { running } = state;
    if (!running) return this.start(path, state);
    const current = state;
    current.next ??= running.then(
      () => this.afterRunning(path, current),
      () => this.afterRunning(path, current),
    );
    return current.next;
  }

  private afterRunning(path: string, state: PathState): Promise<void> {
    state.next = undefined;
    return this.start(path, state);
  }

  private start(path: string, state: PathState): Promise<void> {
    const running = this.syncPath(path).finally(() => {
      state.running = undefined;
      if (!state.next) this.paths.delete(path);
    });
    state.running = running;
    return running;
  }
}
