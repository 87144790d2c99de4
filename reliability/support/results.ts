/**
 * Figures a reliability test reports for the summary table: one JSON line per record, appended to the results
 * file that ./global-setup.ts created and handed over through vitest's `provide`. Without that setup (a test
 * file run on its own) the record is only printed.
 * Must never: decide an outcome. Tests record what they measured, then assert.
 */
import { appendFileSync } from 'node:fs';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    reliabilityResults?: string;
  }
}

export interface ResultRecord {
  /** Which check, e.g. `power cut`; rows of the per-test table. */
  readonly test: string;
  readonly faults?: number;
  readonly requests?: number;
  readonly attacks?: number;
  /** Files (or chunks) read back and compared byte for byte. */
  readonly verified?: number;
  /** Acknowledged files that were missing or different afterwards; must be 0. */
  readonly lost?: number;
  readonly seed?: number;
  readonly peakRssMiB?: number;
  readonly rssBoundMiB?: number;
  readonly throughputMiBps?: number;
  readonly p99Ms?: number;
  readonly notes?: string;
}

export function recordResult(record: ResultRecord): void {
  const file = inject('reliabilityResults');
  console.log(`[reliability] ${JSON.stringify(record)}`);
  if (file) appendFileSync(file, `${JSON.stringify(record)}\n`);
}

export function mib(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}

/** The 99th percentile of `values` (nearest rank). */
export function p99(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? 0;
}
