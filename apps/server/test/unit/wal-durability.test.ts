import { describe, expect, it } from 'vitest';
import { WalDurability } from '../../src/db/wal-durability.ts';

/** An fsync stand-in whose completion the test controls. */
function controlledSync() {
  const calls: { path: string; done: () => void }[] = [];
  const fsync = (path: string) => new Promise<void>((resolve) => calls.push({ path, done: resolve }));
  return { calls, fsync };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('WalDurability (group commit of WAL fsyncs)', () => {
  it('syncs the -wal file and resolves a flush only after its own sync completes', async () => {
    const { calls, fsync } = controlledSync();
    const durability = new WalDurability('/data/backup.db', fsync);
    let flushed = false;
    const flush = durability.flush().then(() => (flushed = true));
    await settle();
    expect(calls.map((call) => call.path)).toEqual(['/data/backup.db-wal']);
    expect(flushed).toBe(false);
    calls[0]?.done();
    await flush;
    expect(flushed).toBe(true);
  });

  it('makes a flush that arrives during a running sync wait for the next sync, shared by all late callers', async () => {
    const { calls, fsync } = controlledSync();
    const durability = new WalDurability('/data/backup.db', fsync);
    const first = durability.flush();
    await settle();
    const late = Array.from({ length: 10 }, () => durability.flush());
    let lateDone = 0;
    for (const promise of late) void promise.then(() => (lateDone += 1));
    calls[0]?.done();
    await first;
    await settle();
    expect(lateDone).toBe(0);
    expect(calls).toHaveLength(2);
    calls[1]?.done();
    await Promise.all(late);
    expect(lateDone).toBe(10);
    expect(calls).toHaveLength(2);
  });

  it('treats a missing WAL (all checkpointed) as durable, and passes other errors on', async () => {
    const missing = new WalDurability('/x/db', () =>
      Promise.reject(Object.assign(new Error('gone'), { code: 'ENOENT' })),
    );
    await expect(missing.flush()).resolves.toBeUndefined();
    const failing = new WalDurability('/x/db', () => Promise.reject(Object.assign(new Error('io'), { code: 'EIO' })));
    await expect(failing.flush()).rejects.toThrow('io');
  });
});
