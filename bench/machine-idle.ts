/**
 * Waiting for the whole machine to be idle before a phase starts. A phase that follows a disk-heavy one can
 * otherwise start while the kernel still writes back or frees what the last one left (gigabytes of page
 * cache, a removed 20,000-file library), which costs the next timed pass CPU it never used itself. Every
 * phase of `npm run bench` waits here, so each starts alike; it never times anything itself.
 * Must never: wait without bound (a machine that never settles is reported, and the phase runs anyway).
 */
import { readFile } from 'node:fs/promises';

const WINDOW_MS = 500;
/** Idle share of all CPUs over a window that counts as quiet. */
const IDLE_SHARE = 0.9;
const QUIET_WINDOWS = 2;

/** Total and idle (idle + iowait) jiffies of all CPUs, from the first line of /proc/stat. */
async function cpuTimes(): Promise<{ total: number; idle: number } | undefined> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => undefined);
  const fields = stat?.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!fields || fields.length < 5 || fields.some((value) => !Number.isFinite(value))) return undefined;
  return { total: fields.reduce((sum, value) => sum + value, 0), idle: (fields[3] ?? 0) + (fields[4] ?? 0) };
}

/**
 * Resolve once all CPUs were at least 90% idle over two windows in a row, or after `timeoutMs`; the seconds
 * waited and whether it was quiet. Where /proc/stat is missing (not Linux) it resolves at once.
 */
export async function waitForIdleMachine(timeoutMs: number): Promise<{ seconds: number; quiet: boolean }> {
  const start = Date.now();
  let before = await cpuTimes();
  if (!before) return { seconds: 0, quiet: true };
  let quietWindows = 0;
  while (Date.now() - start < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const now = await cpuTimes();
    if (!now) break;
    const total = now.total - before.total;
    quietWindows = total > 0 && (now.idle - before.idle) / total >= IDLE_SHARE ? quietWindows + 1 : 0;
    before = now;
    if (quietWindows >= QUIET_WINDOWS) return { seconds: (Date.now() - start) / 1000, quiet: true };
  }
  return { seconds: (Date.now() - start) / 1000, quiet: false };
}
