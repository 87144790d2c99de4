/**
 * The Node pipeline's box pool (src/chunk-boxes.node.ts): bounded, keeps only its own box size, hands a
 * consumer a ciphertext that owns its whole buffer, takes a released box back exactly once with every view of
 * it emptied, and lets unused spares go after SPARE_IDLE_MS.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BOX_BYTES, SPARE_IDLE_MS, boxForConsumer, giveBack, spareBoxes, takeBox } from '../src/chunk-boxes.node.ts';
import { CHUNK_SIZE } from '../src/chunk-cipher.ts';

/** Empty the pool, so each test starts from nothing whatever ran before. */
function drain(): void {
  while (spareBoxes() > 0) takeBox();
}

describe('chunk box pool', () => {
  afterEach(() => {
    vi.useRealTimers();
    drain();
  });

  it('keeps boxes of its own size only, and at most a dozen', () => {
    drain();
    giveBack(new ArrayBuffer(100));
    expect(spareBoxes()).toBe(0);
    for (let i = 0; i < 20; i++) giveBack(new ArrayBuffer(BOX_BYTES));
    expect(spareBoxes()).toBe(12);
    expect(takeBox().byteLength).toBe(BOX_BYTES);
    expect(spareBoxes()).toBe(11);
  });

  it('a full chunk owns its box; releasing empties every view and returns the box once', () => {
    drain();
    const buffer = takeBox();
    const { ciphertext, release } = boxForConsumer(buffer, CHUNK_SIZE);
    expect(ciphertext.buffer).toBe(buffer);
    expect(ciphertext.length).toBe(BOX_BYTES);
    const kept = ciphertext.subarray(10, 20);
    release();
    expect(ciphertext.length).toBe(0);
    expect(kept.length).toBe(0);
    expect(spareBoxes()).toBe(1);
    release();
    expect(spareBoxes()).toBe(1);
  });

  it('a short last chunk is copied into a buffer of its own, and its box goes back at once', () => {
    drain();
    const buffer = takeBox();
    new Uint8Array(buffer).fill(7, 0, 116);
    const { ciphertext, release } = boxForConsumer(buffer, 100);
    expect(ciphertext.length).toBe(116);
    expect(ciphertext.buffer.byteLength).toBe(116);
    expect(ciphertext.every((byte) => byte === 7)).toBe(true);
    expect(spareBoxes()).toBe(1);
    release(); // nothing to give back: the copy is the consumer's
    expect(ciphertext.length).toBe(116);
    expect(spareBoxes()).toBe(1);
  });

  it('lets spares go once unused for SPARE_IDLE_MS, and use restarts the count', () => {
    drain();
    vi.useFakeTimers();
    giveBack(new ArrayBuffer(BOX_BYTES));
    giveBack(new ArrayBuffer(BOX_BYTES));
    vi.advanceTimersByTime(SPARE_IDLE_MS - 1);
    giveBack(takeBox()); // in use again
    vi.advanceTimersByTime(SPARE_IDLE_MS - 1);
    expect(spareBoxes()).toBe(2);
    vi.advanceTimersByTime(1);
    expect(spareBoxes()).toBe(0);
  });
});
