import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../src/services/vault/keyed-mutex.ts';

/** A promise settled from outside. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Let other queued work run: a few macrotask turns, no clock involved. */
async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise<void>((done) => setImmediate(done));
}

describe('KeyedMutex', () => {
  it('never overlaps sections for one key, and runs them in arrival order', async () => {
    const mutex = new KeyedMutex();
    let active = 0;
    let maxActive = 0;
    const order: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        mutex.run('account-1', async () => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          order.push(index);
          await yieldTurns((index % 3) + 1);
          active -= 1;
          return index * 2;
        }),
      ),
    );
    expect(maxActive).toBe(1);
    expect(order).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index * 2));
  });

  it('lets sections for different keys overlap', async () => {
    const mutex = new KeyedMutex();
    const gate = deferred();
    const events: string[] = [];
    const first = mutex.run(1, async () => {
      events.push('1 start');
      await gate.promise;
      events.push('1 end');
    });
    // Key 2 finishes while key 1 is still holding its section open: they overlapped.
    await mutex.run(2, async () => {
      events.push('2 ran');
    });
    expect(events).toEqual(['1 start', '2 ran']);
    gate.resolve();
    await first;
    expect(events).toEqual(['1 start', '2 ran', '1 end']);
  });

  it('makes a second section for the same key wait for the first', async () => {
    const mutex = new KeyedMutex();
    const gate = deferred();
    const events: string[] = [];
    const first = mutex.run('k', async () => {
      events.push('first start');
      await gate.promise;
      events.push('first end');
    });
    const second = mutex.run('k', async () => {
      events.push('second');
    });
    await yieldTurns(5);
    expect(events).toEqual(['first start']);
    gate.resolve();
    await Promise.all([first, second]);
    expect(events).toEqual(['first start', 'first end', 'second']);
  });

  it('releases the key when a section throws, and passes the error on', async () => {
    const mutex = new KeyedMutex();
    const failing = mutex.run('k', async () => {
      await yieldTurns(1);
      throw new Error('boom');
    });
    const next = mutex.run('k', async () => 'ran');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
    await expect(mutex.run('k', async () => 'again')).resolves.toBe('again');
  });

  it('treats string and number keys as different keys', async () => {
    const mutex = new KeyedMutex();
    const gate = deferred();
    const held = mutex.run(7, () => gate.promise);
    await expect(mutex.run('7', async () => 'not blocked')).resolves.toBe('not blocked');
    gate.resolve();
    await held;
  });
});
