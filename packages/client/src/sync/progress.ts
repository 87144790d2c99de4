/**
 * Progress for any UI: counts files and bytes per phase, smooths the transfer rate and estimates the time
 * left. The clock is injected so the arithmetic is testable without waiting; events are throttled so a
 * fast local copy does not flood a terminal. Never throws: a failing listener must not fail a backup.
 */
import type { ProgressListener, SyncProgress } from './types.ts';

export interface ProgressMeterOptions {
  /** Milliseconds; default Date.now. */
  readonly now?: () => number;
  /** Minimum time between two events of the same phase (the last one of a phase is always sent). */
  readonly minIntervalMs?: number;
  /** Half-life of the rate's exponential smoothing. */
  readonly halfLifeMs?: number;
}

/** Seconds left at `bytesPerSecond`, or undefined when no rate is known yet. */
export function estimateEtaSeconds(remainingBytes: number, bytesPerSecond: number): number | undefined {
  if (remainingBytes <= 0) return 0;
  if (!(bytesPerSecond > 0)) return undefined;
  return remainingBytes / bytesPerSecond;
}

/**
 * Exponentially weighted rate: the new sample's weight grows with the time it covers, so the estimate
 * does not depend on how often it is updated.
 */
export function smoothRate(previous: number, sample: number, elapsedMs: number, halfLifeMs: number): number {
  if (previous <= 0) return sample;
  const weight = 1 - Math.pow(0.5, elapsedMs / halfLifeMs);
  return previous + weight * (sample - previous);
}

const SAMPLE_MS = 250;

export class ProgressMeter {
  private readonly now: () => number;
  private readonly minIntervalMs: number;
  private readonly halfLifeMs: number;
  private state: Omit<SyncProgress, 'bytesPerSecond' | 'etaSeconds'> = {
    phase: 'scan',
    filesDone: 0,
    filesTotal: 0,
    bytesDone: 0,
    bytesTotal: 0,
  };
  private rate = 0;
  private sampleAt = 0;
  private sampleBytes = 0;
  private lastEmitAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly listener: ProgressListener | undefined,
    options: ProgressMeterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.minIntervalMs = options.minIntervalMs ?? 200;
    this.halfLifeMs = options.halfLifeMs ?? 3000;
  }

  /** Start a phase with its totals; counters and the rate start from zero. */
  phase(phase: SyncProgress['phase'], totals: { filesTotal?: number; bytesTotal?: number } = {}): void {
    this.state = {
      phase,
      filesDone: 0,
      filesTotal: totals.filesTotal ?? 0,
      bytesDone: 0,
      bytesTotal: totals.bytesTotal ?? 0,
    };
    this.rate = 0;
    this.sampleAt = this.now();
    this.sampleBytes = 0;
    this.emit(true);
  }

  /** Change the phase's totals by these amounts (a pipelined phase learns them as it goes). */
  changeTotals(delta: { files?: number; bytes?: number }): void {
    this.state = {
      ...this.state,
      filesTotal: this.state.filesTotal + (delta.files ?? 0),
      bytesTotal: this.state.bytesTotal + (delta.bytes ?? 0),
    };
    this.emit(false);
  }

  /** Count bytes moved (sent, hashed, written). */
  addBytes(bytes: number): void {
    this.state = { ...this.state, bytesDone: this.state.bytesDone + bytes };
    this.sample();
    this.emit(false);
  }

  /** Count `count` files finished; `currentFile` names what the UI may show. */
  addFile(currentFile?: string, count = 1): void {
    const { currentFile: _previous, ...rest } = this.state;
    this.state = { ...rest, filesDone: rest.filesDone + count, ...(currentFile !== undefined ? { currentFile } : {}) };
    this.emit(this.state.filesDone === this.state.filesTotal);
  }

  snapshot(): SyncProgress {
    const remaining = this.state.bytesTotal - this.state.bytesDone;
    return { ...this.state, bytesPerSecond: this.rate, etaSeconds: estimateEtaSeconds(remaining, this.rate) };
  }

  private sample(): void {
    const at = this.now();
    const elapsed = at - this.sampleAt;
    if (elapsed < SAMPLE_MS) return;
    const instant = ((this.state.bytesDone - this.sampleBytes) * 1000) / elapsed;
    this.rate = smoothRate(this.rate, instant, elapsed, this.halfLifeMs);
    this.sampleAt = at;
    this.sampleBytes = this.state.bytesDone;
  }

  private emit(force: boolean): void {
    if (!this.listener) return;
    const at = this.now();
    if (!force && at - this.lastEmitAt < this.minIntervalMs) return;
    this.lastEmitAt = at;
    try {
      this.listener(this.snapshot());
    } catch {
      // A UI bug must not stop a backup.
    }
  }
}
