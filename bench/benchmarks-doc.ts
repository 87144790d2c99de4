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
import { count, renderMarkdown, type Row } from './report.ts';

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
      '(SQLite WAL, the WAL fsynced) before answering; it logs each request at the default `info` level.',
    `- Photos: ${options.photos} distinct bodies of ~${(options.photoBytes / 1e6).toFixed(0)} MB (${options.photoPool} ` +
      `random buffers, each upload made unique by a 16-byte prefix), ${options.clients} concurrent clients, after ` +
      `${2 * options.clients} untimed warm-up uploads; sent in 4 rounds that alternate which server goes first, ` +
      'so that noise from other work on the machine falls on both alike. Rates are over the summed round times.',
    `- Big upload: ${(options.bigBytes / 2 ** 20).toFixed(0)} MiB streamed from a generator (one 1 MiB chunk ` +
      'repeated). RSS growth = VmHWM of the server process after the upload minus before it (after warm-up).',
    `- Listing: ${options.listingRequests} sequential requests per page after 10 untimed ones; latency seen by ` +
      `the client. Library filled ${facts.fillMethod}; after the restart the timing waits until the server is ` +
      'idle (background work on the new files, such as media jobs, done; "busy after restart" row).',
    '- Idle means under 5% of one core for two 0.5 s windows, counting the server process and the tools it runs ' +
      '(ffmpeg, exiftool… for media jobs). Each photo round and the big upload also wait for it (untimed), so ' +
      'background work the uploads caused never runs during the other server’s turn; the "server CPU s" rows ' +
      'count it, tools included.',
    ...clientPhases(options),
    '',
  ].join('\n');
}

/** How the StealthCloud (issue 3) and backup-client (issue 4) rows are measured. */
function clientPhases(options: BenchOptions): string[] {
  const mib = (options.cryptoBytes / 2 ** 20).toFixed(0);
  return [
    `- Encrypt + hash: one ${mib} MiB file generated as a stream (one random 1 MiB piece repeated, never held ` +
      'whole), each pass in a child process of its own, one after the other (`bench/crypto-pass.ts`); SHA-256 only and Node three times each, interleaved, each reporting its median pass. Node: ' +
      '`encryptFileV2` of @photosync/crypto consuming the stream as a backup does — 2 MiB chunks sealed with ' +
      'secretbox, chunk ids (SHA-256 of each ciphertext), the whole-file SHA-256, the sealed manifest — on its ' +
      'Node backend (sodium-native, node:crypto). Browser: the same call in `node --conditions=browser`, so the ' +
      'package’s `#sodium` import resolves to the libsodium-wrappers backend (WebAssembly secretbox, WebCrypto ' +
      'chunk ids, TypeScript SHA-256 for the file hash). tweetnacl: what the original client does, ' +
      '`nacl.secretbox` over the same 2 MiB chunks plus SHA-256 chunk ids and file hash (node:crypto, which ' +
      'flatters it). SHA-256 only: one node:crypto pass over the plaintext, the ceiling. Timing starts after the ' +
      'backend is loaded.',
    `- Vault chunks: the ${Math.ceil(options.cryptoBytes / 2 ** 21)} chunks of that file as ciphertext would be ` +
      `(2 MiB + 16 bytes of random bytes, each distinct, with its correct \`X-Chunk-Id\` = SHA-256 computed up ` +
      `front), ${options.chunksInFlight} in flight over keep-alive connections, to our \`POST /api/cloud/chunks\` ` +
      '(signed-in device; the server hashes while staging, verifies the id, fsyncs, publishes and records the ' +
      'chunk within quota) and the same bytes to the baseline’s bare POST; 16 untimed warm-up chunks each, then 4 ' +
      'rounds alternating which server goes first, as for photos.',
    `- CLI backup: ${count(options.photos)} JPEG-like files (JFIF header, then the photo bodies above) ` +
      'written to a folder on disk and fsynced, untimed. Ours: the real CLI, ' +
      '`node apps/cli/bin/photosync.js backup <dir> --server URL --email … --state-dir <tmp> --json` with ' +
      '`PHOTOSYNC_PASSWORD` (account registered first through ' +
      '`createClient`), timed from process start to exit: start-up, sign-in, scan with content sniffing, SHA-256 ' +
      `of every file, bulk check, uploads (${options.clients} at a time). Baseline: a minimal client, ` +
      `\`node:http\` with ${options.clients} files in flight, streaming each file from disk (\`createReadStream\`) ` +
      'to the bare baseline server, no hashing. Both read the same files (in the page cache). Two rounds, ' +
      'baseline first in the first and ours first in the second (on this VM whatever writes later is slower, ' +
      'as the page cache grows into fresh memory: either server run second was 35–50% slower); each round of ours uses a new account and state dir, so it uploads everything ' +
      'again; times, bytes and CPU are the totals of both rounds. ' +
      'Client CPU: the CLI process’s user + system time (from the harness’s exited-children accounting), the ' +
      'minimal client’s from `process.cpuUsage()`.',
    `- CLI backup again: ${count(options.unchangedFiles)} files of ${count(options.unchangedFileBytes)} bytes ` +
      '(JFIF header, distinct content) backed up once by the CLI (untimed), then the same command with the same ' +
      'state dir (hash cache) timed from process start to exit; bytes sent and cache hits come from its ' +
      '`--json` report. The < 3 s target applies from 10,000 files.',
  ];
}

export async function writeBenchmarksDoc(rows: readonly Row[], facts: RunFacts): Promise<string> {
  const config = (await resolveConfig(DOC_PATH)) ?? {};
  const text = await format(document(rows, facts), { ...config, parser: 'markdown' });
  await mkdir(dirname(DOC_PATH), { recursive: true });
  await writeFile(DOC_PATH, text);
  return DOC_PATH;
}
