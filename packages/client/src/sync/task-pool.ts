/**
 * Bounded concurrency: run a worker over items with at most `concurrency` in flight. Workers report
 * per-item failures themselves; an error that escapes a worker is fatal (signed out, disk full, aborted):
 * no new item starts, the ones in flight finish, and the first such error is thrown.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  let fatal: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (fatal === undefined && next < items.length) {
      if (signal?.aborted) {
        fatal = { error: signal.reason };
        return;
      }
      const index = next;
      next += 1;
      try {
        await worker(items[index] as T, index);
      } catch (error) {
        fatal ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(concurrency) || 1, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (fatal) throw fatal.error;
}
