/**
 * Writes docs/BENCHMARKS.md: the result table with when, where and how it was measured, formatted with the
 * repository's Prettier settings so `prettier --check docs` stays green after every run.
 * Must never: write anywhere but docs/BENCHMARKS.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import type { BenchOptions } from './options.ts';
import { renderMarkdown, type Row } from './report.ts';

export const DOC_PATH = fileURLToPath(new URL('../docs/BENCHMARKS.md', import.meta.url));

export interface RunFacts {
  readonly command: string;
  readonly startedAt: Date;
  readonly totalSeconds: number;
  readonly fillMethod: string;
  readonly options: BenchOptions;
  /** os.loadavg() when the run started and ended: other work on the machine skews every number. */
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
}

const loadText = (load: readonly number[]): string => load.map((value) => value.toFixed(2)).join(' / ');

/** "Intel(R) Xeon(R) …, 2 cores, 23.4 GiB RAM, Linux 6.1, Node v20.20.2". */
export function machineSummary(): string {
  const model = os.cpus()[0]?.model ?? 'unknown CPU';
  const ramGiB = (os.totalmem() / 2 ** 30).toFixed(1);
  return `${model}, ${os.availableParallelism()} cores, ${ramGiB} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

function document(rows: readonly Row[], facts: RunFacts): string {
  const { options } = facts;
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); every number below comes from one run on one machine. ' +
      'Run it again to replace this file.',
    '',
    `- Date: ${facts.startedAt.toISOString()}${options.quick ? ' (quick run: reduced counts)' : ''}`,
    `- Machine: ${machineSummary()}`,
    `- Command: \`${facts.command}\``,
    `- Whole run: ${facts.totalSeconds.toFixed(0)} s; load average (1/5/15 min) ${loadText(facts.loadAverage.start)} ` +
      `at the start, ${loadText(facts.loadAverage.end)} at the end`,
    '',
    renderMarkdown(rows),
    '',
    '## How it is measured',
    '',
    '- Both servers run side by side as child processes (`node --import tsx`) on loopback, each on its own ' +
      'data directory under `bench/.work/`, and only one takes load at a time; the load generator is a third ' +
      'process using `node:http` with a keep-alive agent. MB = 10⁶ bytes.',
    '- Baseline: `bench/baseline-server.ts`, a bare `node:http` server that streams each POST body to a new ' +
      'file, fsyncs and closes it. Ours: `POST /api/upload/raw` with a signed-in device, which also hashes ' +
      '(SHA-256), publishes under the account folder, fsyncs the directory and commits the index row ' +
      '(SQLite WAL, `synchronous=FULL`) before answering; it logs each request at the default `info` level.',
    `- Photos: ${options.photos} distinct bodies of ~${(options.photoBytes / 1e6).toFixed(0)} MB (${options.photoPool} ` +
      `random buffers, each upload made unique by a 16-byte prefix), ${options.clients} concurrent clients, after ` +
      `${2 * options.clients} untimed warm-up uploads; sent in 4 rounds that alternate which server goes first, ` +
      'so that noise from other work on the machine falls on both alike. Rates are over the summed round times.',
    `- Big upload: ${(options.bigBytes / 2 ** 20).toFixed(0)} MiB streamed from a generator (one 1 MiB chunk ` +
      'repeated). RSS growth = VmHWM of the server process after the upload minus before it (after warm-up).',
    `- Listing: ${options.listingRequests} sequential requests per page after 10 untimed ones; latency seen by ` +
      `the client. Library filled ${facts.fillMethod}; after the restart the timing waits until the server is ` +
      'idle (background work on the new files, such as media jobs, done; "busy after restart" row).',
    '- Idle means under 5% of one core for two 0.5 s windows. Each photo round and the big upload also wait for ' +
      'it (untimed), so background work the uploads caused never runs during the other server’s turn; the ' +
      '"server CPU s" rows count it.',
    '',
  ].join('\n');
}

export async function writeBenchmarksDoc(rows: readonly Row[], facts: RunFacts): Promise<string> {
  const config = (await resolveConfig(DOC_PATH)) ?? {};
  const text = await format(document(rows, facts), { ...config, parser: 'markdown' });
  await mkdir(dirname(DOC_PATH), { recursive: true });
  await writeFile(DOC_PATH, text);
  return DOC_PATH;
}
