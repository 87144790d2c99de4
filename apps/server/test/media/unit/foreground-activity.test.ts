import { describe, expect, it } from 'vitest';
import { ForegroundActivity } from '../../../src/services/media/foreground-activity.ts';

describe('ForegroundActivity (media jobs wait for uploads to pause)', () => {
  it('is quiet at once when nothing ran, and after quietMs once everything ended', async () => {
    let now = 1_000;
    const activity = new ForegroundActivity(50, () => now);
    await expect(activity.whenQuiet()).resolves.toBeUndefined();

    const end = activity.begin();
    let quiet = false;
    const waiting = activity.whenQuiet().then(() => (quiet = true));
    now += 60_000;
    await new Promise((resolve) => setImmediate(resolve));
    expect(quiet).toBe(false); // still active, however long it runs
    end();
    end(); // a second call is ignored
    now += 10;
    await new Promise((resolve) => setImmediate(resolve));
    expect(quiet).toBe(false); // ended, but not quiet for 50 ms yet
    now += 100;
    await waiting;
    expect(quiet).toBe(true);
  });

  it('keeps waiting while uploads overlap, and releases a waiter on abort', async () => {
    const activity = new ForegroundActivity(10_000);
    const first = activity.begin();
    const second = activity.begin();
    first();
    const controller = new AbortController();
    let released = false;
    const waiting = activity.whenQuiet(controller.signal).then(() => (released = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(false);
    controller.abort();
    await waiting;
    expect(released).toBe(true);
    second();
  });
});
