// Small tests of the CLI's pure parts: date options, progress lines.
import { describe, expect, it } from 'vitest';
import { parseDateOption } from '../src/commands/restore.ts';
import { describeProgress, formatDuration } from '../src/sync-progress.ts';

describe('parseDateOption', () => {
  it('takes a bare day as that local day: its start for --from, the next start for --to', () => {
    expect(parseDateOption('2024-03-01', 'from')).toEqual(new Date(2024, 2, 1));
    expect(parseDateOption('2024-03-31', 'to')).toEqual(new Date(2024, 3, 1));
    expect(parseDateOption('2024-12-31', 'to')).toEqual(new Date(2025, 0, 1));
  });
  it('takes an ISO time as is, and refuses nonsense', () => {
    expect(parseDateOption('2024-03-01T10:00:00Z', 'to')).toEqual(new Date(Date.UTC(2024, 2, 1, 10)));
    expect(() => parseDateOption('last tuesday', 'from')).toThrow('expected a date');
  });
});

describe('progress lines', () => {
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(61.4)).toBe('1:01');
    expect(formatDuration(3723)).toBe('1:02:03');
  });
  it('says files, bytes, rate and time left when known', () => {
    const base = {
      phase: 'upload',
      filesDone: 1,
      filesTotal: 4,
      bytesDone: 2_000_000,
      bytesTotal: 10_000_000,
    } as const;
    expect(describeProgress({ ...base, bytesPerSecond: 1_000_000, etaSeconds: 8 })).toBe(
      '1/4 files, 2.0 MB of 10.0 MB, 1.0 MB/s, 0:08 left',
    );
    expect(describeProgress({ ...base, bytesPerSecond: 0, etaSeconds: undefined })).toBe(
      '1/4 files, 2.0 MB of 10.0 MB',
    );
  });
});
