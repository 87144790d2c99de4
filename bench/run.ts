/**
 * `npm run bench` (issue 2, "Benchmark"): measures our server against a bare Node baseline in one run —
 * photo uploads, one big upload, listing latency — prints the table and writes docs/BENCHMARKS.md.
 * Missed targets are reported as MISS, never turned into a failure; the exit code is non-zero only when
 * something crashed. Flags and quick mode: ./options.ts. Work data lives in bench/.work/run-<pid>/ and is
 * removed at the end.
 */
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineSummary, writeBenchmarksDoc } from './benchmarks-doc.ts';
import { secondsSince } from './http-load.ts';
import { FILL_METHOD, measureListing } from './listing-phase.ts';
import { commandLine, parseOptions } from './options.ts';
import { PhotoPool } from './payloads.ts';
import { buildRows, renderText } from './report.ts';
import { compareUploads } from './upload-comparison.ts';

const WORK_ROOT = fileURLToPath(new URL('./.work/', import.meta.url));

const log = (line: string): void => console.log(line);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv, process.env);
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  const start = process.hrtime.bigint();
  const workDir = join(WORK_ROOT, `run-${process.pid}`);
  await mkdir(workDir, { recursive: true });
  try {
    log(`PhotoSync benchmark on ${machineSummary()}${options.quick ? ' — quick run' : ''}`);
    const pool = new PhotoPool(options.photoPool, options.photoBytes);
    log('Uploads (both servers side by side, one under load at a time):');
    const { ours, baseline } = await compareUploads(join(workDir, 'uploads'), pool, options, log);
    await rm(join(workDir, 'uploads'), { recursive: true, force: true });
    log(`Listing (ours; library filled ${FILL_METHOD}):`);
    const listing = await measureListing(join(workDir, 'listing'), options.listingSizes, options.listingRequests, log);
    const rows = buildRows({
      photos: { ours: ours.photos, baseline: baseline.photos, clients: options.clients },
      big: { ours: ours.big, baseline: baseline.big },
      listing,
    });
    const totalSeconds = secondsSince(start);
    log(`\n${renderText(rows)}\n`);
    log(`Load average (1 min) ${loadAtStart[0]?.toFixed(2)} at the start, ${os.loadavg()[0]?.toFixed(2)} at the end.`);
    const path = await writeBenchmarksDoc(rows, {
      command: commandLine(argv, process.env),
      startedAt,
      totalSeconds,
      fillMethod: FILL_METHOD,
      options,
      loadAverage: { start: loadAtStart, end: os.loadavg() },
    });
    log(`Whole run: ${totalSeconds.toFixed(0)} s. Written to ${path}`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  console.error('Benchmark crashed:', error);
  process.exitCode = 1;
}
