// Small tests: rate smoothing, ETA and the progress events a UI receives (with a fake clock).
import { describe, expect, it } from 'vitest';
import { estimateEtaSeconds, ProgressMeter, smoothRate } from '../src/sync/progress.ts';
import type { SyncProgress } from '../src/sync/types.ts';

describe('estimateEtaSeconds', () => {
  it('divides what is left by the rate', () => {
    expect(estimateEtaSeconds(1000, 250)).toBe(4);
  });
  it('is unknown without a rate and zero when nothing is left', () => {
    expect(estimateEtaSeconds(1000, 0)).toBeUndefined();
    expect(estimateEtaSeconds(0, 0)).toBe(0);
  });
});

describe('smoothRate', () => {
  it('takes the first sample as is', () => {
    expect(smoothRate(0, 500, 250, 3000)).toBe(500);
  });
  it('moves half way after one half-life', () => {
    expect(smoothRate(100, 300, 3000, 3000)).toBeCloseTo(200);
  });
  it('weights a sample by the time it covers, not by how often it is taken', () => {
    const once = smoothRate(100, 300, 2000, 3000);
    const twice = smoothRate(smoothRate(100, 300, 1000, 3000), 300, 1000, 3000);
    expect(twice).toBeCloseTo(once);
  });
});

describe('ProgressMeter', () => {
  it('reports files, bytes, a rate and an ETA', () => {
    let now = 0;
    const events: SyncProgress[] = [];
    const meter = new ProgressMeter((p) => events.push(p), { now: () => now, minIntervalMs: 0 });
    meter.phase('upload', { filesTotal: 2, bytesTotal: 4000 });
    now = 1000;
    meter.addBytes(1000);
    expect(meter.snapshot()).toMatchObject({ phase: 'upload', bytesDone: 1000, bytesPerSecond: 1000, etaSeconds: 3 });
    meter.addFile('a.jpg');
    expect(meter.snapshot()).toMatchObject({ filesDone: 1, filesTotal: 2, currentFile: 'a.jpg' });
    expect(events[0]).toMatchObject({ phase: 'upload', bytesDone: 0, etaSeconds: undefined });
  });

  it('throttles events but always sends the start of a phase and its last file', () => {
    let now = 0;
    const events: SyncProgress[] = [];
    const meter = new ProgressMeter((p) => events.push(p), { now: () => now, minIntervalMs: 200 });
    meter.phase('hash', { filesTotal: 3 });
    meter.addFile();
    meter.addFile();
    meter.addFile();
    expect(events.map((e) => e.filesDone)).toEqual([0, 3]);
    now = 500;
    meter.phase('done');
    expect(events.at(-1)?.phase).toBe('done');
  });

  it('survives a listener that throws', () => {
    const meter = new ProgressMeter(() => {
      throw new Error('UI bug');
    });
    expect(() => meter.phase('scan')).not.toThrow();
  });
});
