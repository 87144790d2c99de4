/**
 * Turns the records of a run into the summary table: totals first (faults injected, requests fuzzed, attacks
 * tried, files verified, files lost, load figures), then one row per check. Pure: the same records give the
 * same Markdown, which is printed and, for a full run, written to docs/RELIABILITY.md.
 */
import type { ResultRecord } from './results.ts';

export interface RunInfo {
  readonly command: string;
  readonly scale: string;
  readonly date: string;
  readonly machine: string;
  readonly durationMs: number;
}

const fmt = (value: number): string => value.toLocaleString('en-US');
const sum = (records: readonly ResultRecord[], pick: (r: ResultRecord) => number | undefined): number =>
  records.reduce((total, record) => total + (pick(record) ?? 0), 0);

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderSummary(records: readonly ResultRecord[], run: RunInfo): string {
  const load = records.find((record) => record.throughputMiBps !== undefined);
  const seeds = [...new Set(records.flatMap((record) => (record.seed === undefined ? [] : [record.seed])))];
  const totals: string[][] = [
    ['faults injected', fmt(sum(records, (r) => r.faults))],
    ['requests fuzzed', fmt(sum(records, (r) => r.requests))],
    ['attacks tried (all refused)', fmt(sum(records, (r) => r.attacks))],
    ['files verified byte-exact', fmt(sum(records, (r) => r.verified))],
    ['files lost (must be 0)', fmt(sum(records, (r) => r.lost))],
  ];
  if (load) {
    totals.push(
      ['load: throughput (reported, not asserted)', `${load.throughputMiBps} MiB/s`],
      ['load: p99 upload latency (reported, not asserted)', `${load.p99Ms} ms`],
      ['load: peak server RSS (asserted bound)', `${load.peakRssMiB} MiB (bound ${load.rssBoundMiB} MiB)`],
    );
  }
  const rows = records.map((r) => [
    r.test,
    fmt(r.faults ?? 0),
    fmt(r.requests ?? 0),
    fmt(r.attacks ?? 0),
    fmt(r.verified ?? 0),
    fmt(r.lost ?? 0),
    r.peakRssMiB === undefined ? '' : `${r.peakRssMiB} / ${r.rssBoundMiB ?? '–'}`,
    r.notes ?? '',
  ]);
  return [
    '# Reliability and security run',
    '',
    'Written by the reliability suite (`reliability/`, see the README section "Reliability"): real server',
    'processes on real files, faults injected, malformed and hostile requests, and a load test. Files lost must',
    "be 0; each RSS figure is the server process's peak resident memory (VmHWM) against the bound the test asserts.",
    'Throughput and latency are reported, never asserted. Do not edit by hand: run the command below.',
    '',
    `- Command: \`${run.command}\` (scale \`${run.scale}\`)`,
    `- Date: ${run.date}; duration ${duration(run.durationMs)}`,
    `- Machine: ${run.machine}`,
    ...(seeds.length > 0 ? [`- Seeds: ${seeds.join(', ')} (replay one with \`RELIABILITY_SEED=<seed>\`)`] : []),
    '',
    table(['figure', 'value'], totals),
    '',
    table(
      ['check', 'faults', 'requests', 'attacks', 'verified', 'lost', 'server RSS peak / bound (MiB)', 'notes'],
      rows,
    ),
    '',
  ].join('\n');
}
