/**
 * Turns the measurements into one table (ours, baseline, ours ÷ baseline, target, PASS/MISS) and renders
 * it for the terminal and as the markdown of docs/BENCHMARKS.md. The rows of the server phases are built
 * here; ./stealthcloud-rows.ts and ./backup-rows.ts build the others with the same row helpers.
 * Must never: fail the run on a missed target — the benchmark reports, tests assert.
 */
import type { ListingResult } from './listing-phase.ts';
import type { BigResult, PhotoResult } from './upload-phases.ts';

const MB = 1e6;

export interface Row {
  readonly metric: string;
  readonly ours: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  readonly result: '' | 'PASS' | 'MISS';
}

export interface PhotoComparison {
  readonly ours: PhotoResult;
  readonly baseline: PhotoResult;
  readonly clients: number;
}

export const fixed = (value: number, digits: number): string => value.toFixed(digits);
export const mb = (bytes: number): string => fixed(bytes / MB, 1);
export const verdict = (ok: boolean): 'PASS' | 'MISS' => (ok ? 'PASS' : 'MISS');
export const count = (value: number): string => value.toLocaleString('en-US');

/** A row comparing a higher-is-better throughput against `share` of the baseline's. */
export function throughputRow(
  metric: string,
  ours: number,
  baseline: number,
  share: number,
  baselineName = 'baseline',
): Row {
  const ratio = ours / baseline;
  return {
    metric,
    ours: fixed(ours, 1),
    baseline: fixed(baseline, 1),
    ratio: `${fixed(ratio * 100, 0)}%`,
    target: `≥ ${fixed(share * 100, 0)}% of ${baselineName}`,
    result: verdict(ratio >= share),
  };
}

export function infoRow(metric: string, ours: string, baseline = '', ratio = ''): Row {
  return { metric, ours, baseline, ratio, target: '', result: '' };
}

export function uploadRows(photos: PhotoComparison, bigOurs: BigResult, bigBaseline: BigResult): Row[] {
  const big = { ours: bigOurs, baseline: bigBaseline };
  const photoLabel = `${count(photos.ours.photos)} photos × ~${mb(photos.ours.bytes / photos.ours.photos)} MB, ${photos.clients} clients`;
  const bigLabel = `one ${fixed(big.ours.bytes / 2 ** 30, 2)} GiB upload`;
  const ratio = (ours: number, baseline: number): string => `${fixed((ours / baseline) * 100, 0)}%`;
  const rows: Row[] = [
    throughputRow(`${photoLabel}: photos/s`, photos.ours.photosPerSecond, photos.baseline.photosPerSecond, 0.8),
    throughputRow(`${photoLabel}: MB/s`, photos.ours.mbPerSecond, photos.baseline.mbPerSecond, 0.8),
    infoRow(
      `${photoLabel}: server CPU s`,
      fixed(photos.ours.serverCpuSeconds, 1),
      fixed(photos.baseline.serverCpuSeconds, 1),
      ratio(photos.ours.serverCpuSeconds, photos.baseline.serverCpuSeconds),
    ),
    throughputRow(`${bigLabel}: MB/s`, big.ours.mbPerSecond, big.baseline.mbPerSecond, 0.8),
    {
      metric: `${bigLabel}: peak RSS growth (MB)`,
      ours: mb(big.ours.rssGrowthBytes),
      baseline: mb(big.baseline.rssGrowthBytes),
      ratio: '',
      target: '< 100 MB',
      result: verdict(big.ours.rssGrowthBytes < 100 * MB),
    },
    infoRow(`${bigLabel}: peak RSS (MB)`, mb(big.ours.rssPeakBytes), mb(big.baseline.rssPeakBytes)),
    infoRow(
      `${bigLabel}: server CPU s`,
      fixed(big.ours.serverCpuSeconds, 1),
      fixed(big.baseline.serverCpuSeconds, 1),
      ratio(big.ours.serverCpuSeconds, big.baseline.serverCpuSeconds),
    ),
  ];
  return rows;
}

export function listingRows(listing: readonly ListingResult[]): Row[] {
  const rows: Row[] = [];
  const largest = Math.max(...listing.map((result) => result.files));
  for (const result of listing) {
    const label = `GET /api/files?limit=50, ${count(result.files)} files`;
    const target = result.files === largest && result.files >= 20_000;
    rows.push({
      metric: `${label}: p50 ms`,
      ours: fixed(result.firstPage.p50Ms, 2),
      baseline: '—',
      ratio: '',
      target: target ? '< 5 ms' : '',
      result: target ? verdict(result.firstPage.p50Ms < 5) : '',
    });
    rows.push(infoRow(`${label}: p99 ms`, fixed(result.firstPage.p99Ms, 2), '—'));
    const { seconds, settled } = result.settle;
    rows.push(
      infoRow(
        `same, busy after restart before timing (s)`,
        settled ? fixed(seconds, 1) : `> ${fixed(seconds, 0)}`,
        '—',
      ),
    );
    rows.push(
      infoRow(
        `same, last page (offset ${count(result.files - 50)}): p50 / p99 ms`,
        `${fixed(result.lastPage.p50Ms, 2)} / ${fixed(result.lastPage.p99Ms, 2)}`,
        '—',
      ),
    );
  }
  return rows;
}

const HEADER = ['Metric', 'Ours', 'Baseline', 'Ours ÷ baseline', 'Target', 'Result'] as const;
const cells = (row: Row): string[] => [row.metric, row.ours, row.baseline, row.ratio, row.target, row.result];

/** Fixed-width text table for the terminal. */
export function renderText(rows: readonly Row[]): string {
  const table = [[...HEADER], ...rows.map(cells)];
  const widths = HEADER.map((_, column) => Math.max(...table.map((line) => (line[column] ?? '').length)));
  const line = (values: readonly string[]): string =>
    values
      .map((value, column) => (column === 0 ? value.padEnd(widths[column] ?? 0) : value.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(table[0] ?? []), rule, ...table.slice(1).map(line)].join('\n');
}

/** GitHub-flavoured markdown table. */
export function renderMarkdown(rows: readonly Row[]): string {
  const line = (values: readonly string[]): string => `| ${values.join(' | ')} |`;
  return [
    line(HEADER),
    `| --- | ${HEADER.slice(1)
      .map(() => '---:')
      .join(' | ')} |`,
    ...rows.map((row) => line(cells(row))),
  ].join('\n');
}
