import { describe, expect, it } from 'vitest';
import { GroupedFsync } from '../src/grouped-fsync.ts';

function controlledSync() {
  const calls: { path: string; finish: (error?: Error) => void }[] = [];
  const sync = (path: string) =>
    new Promise<void>((resolve, reject) =>
      calls.push({ path, finish: (error) => (error ? reject(error) : resolve()) }),
    );
  return { calls, sync };
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupedFsync', () => {
  it('shares one later fsync among all callers that arrive while one runs, per path', async () => {
    const { calls, sync } = controlledSync();
    const grouped = new GroupedFsync(sync);
    const first = grouped.sync('/a');
    const other = grouped.sync('/b');
    await settle();
    const late = Array.from({ length: 5 }, () => grouped.sync('/a'));
    let lateDone = 0;
    for (const promise of late) void promise.then(() => (lateDone += 1));
    expect(calls.map((call) => call.path)).toEqual(['/a', '/b']);
    calls[0]?.finish();
    await first;
    await settle();
    expect(lateDone).toBe(0);
    expect(calls.map((call) => call.path)).toEqual(['/a', '/b', '/a']);
    calls[2]?.finish();
    calls[1]?.finish();
    await Promise.all([...late, other]);
    expect(lateDone).toBe(5);
    expect(calls).toHaveLength(3);
  });

  it('passes an fsync error to its callers, and the next call syncs again', async () => {
    const { calls, sync } = controlledSync();
    const grouped = new GroupedFsync(sync);
    const failing = grouped.sync('/a');
    calls[0]?.finish(new Error('EIO'));
    await expect(failing).rejects.toThrow('EIO');
    const again = grouped.sync('/a');
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]?.finish();
    await expect(again).resolves.toBeUndefined();
  });
});
