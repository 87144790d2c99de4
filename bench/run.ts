/**
 * `npm run bench` (the "Benchmark" sections of issues 2, 3 and 4): measures our code against bare baselines
 * in one run — photo uploads, one big upload, listing latency (server); client-side encrypt + hash and the
 * vault chunk store (StealthCloud); the CLI's initial backup and its re-run over an unchanged tree (backup
 * client) — prints the table and writes docs/BENCHMARKS.md.
 * Missed targets are reported as MISS, never turned into a failure; the exit code is non-zero only when
 * something crashed. Flags and quick mode: ./options.ts. Work data lives in bench/.work/run-<pid>/ and is
 * removed at the end.
 */
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureBackups } from './backup-phase.ts';
import { backupRows } from './backup-rows.ts';
import { machineSummary, writeBenchmarksDoc } from './benchmarks-doc.ts';
import { compareChunkStores } from './chunk-store-phase.ts';
import { measureCrypto } from './crypto-phase.ts';
import { secondsSince } from './http-load.ts';
import { FILL_METHOD, measureListing } from './listing-phase.ts';
import { waitForIdleMachine } from './machine-idle.ts';
import { commandLine, parseOptions, PHASES, type BenchOptions, type Phase } from './options.ts';
import { PhotoPool } from './payloads.ts';
import { listingRows, renderText, uploadRows, type Row } from './report.ts';
import { stealthCloudRows } from './stealthcloud-rows.ts';
import { compareUploads } from './upload-comparison.ts';

const WORK_ROOT = fileURLToPath(new URL('./.work/', import.meta.url));

const log = (line: string): void => console.log(line);
const IDLE_TIMEOUT_MS = 60_000;

/** Before each phase: let the machine settle from the last one (see ./machine-idle.ts). */
async function idleBefore(phase: string): Promise<void> {
  const { seconds, quiet } = await waitForIdleMachine(IDLE_TIMEOUT_MS);
  if (!quiet) log(`  (the machine was still busy after ${seconds.toFixed(0)} s; ${phase} starts anyway)`);
  else if (seconds >= 2) log(`  (waited ${seconds.toFixed(0)} s for the machine to be idle before ${phase})`);
}

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
    const runs = (phase: Phase): boolean => options.phases.has(phase);
    const rows: Row[] = [];
    if (runs('uploads') || runs('listing')) rows.push(...(await serverPhases(workDir, pool, options)));
    if (runs('crypto') || runs('chunks')) rows.push(...(await stealthCloudPhases(workDir, options)));
    if (runs('backup')) {
      await idleBefore('backup');
      log('Backup client: photosync backup vs a minimal client to the baseline, then a re-run over an unchanged tree:');
      rows.push(...backupRows(await measureBackups(join(workDir, 'backup'), pool, options, log)));
    }
    const totalSeconds = secondsSince(start);
    log(`\n${renderText(rows)}\n`);
    log(`Load average (1 min) ${loadAtStart[0]?.toFixed(2)} at the start, ${os.loadavg()[0]?.toFixed(2)} at the end.`);
    if (options.phases.size < PHASES.length) {
      log(`Whole run: ${totalSeconds.toFixed(0)} s (some phases only: docs/BENCHMARKS.md left as it was)`);
      return;
    }
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

async function serverPhases(workDir: string, pool: PhotoPool, options: BenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  if (options.phases.has('uploads')) {
    await idleBefore('uploads');
    log('Uploads (both servers side by side, one under load at a time):');
    const { ours, baseline } = await compareUploads(join(workDir, 'uploads'), pool, options, log);
    await rm(join(workDir, 'uploads'), { recursive: true, force: true });
    rows.push(
      ...uploadRows({ ours: ours.photos, baseline: baseline.photos, clients: options.clients }, ours.big, baseline.big),
    );
  }
  if (options.phases.has('listing')) {
    await idleBefore('listing');
    log(`Listing (ours; library filled ${FILL_METHOD}):`);
    const listing = await measureListing(join(workDir, 'listing'), options.listingSizes, options.listingRequests, log);
    await rm(join(workDir, 'listing'), { recursive: true, force: true });
    rows.push(...listingRows(listing));
  }
  return rows;
}

async function stealthCloudPhases(workDir: string, options: BenchOptions): Promise<Row[]> {
  let crypto;
  let chunkStore;
  if (options.phases.has('crypto')) {
    await idleBefore('crypto');
    log('StealthCloud: encrypt + hash one generated file, one child process per pass:');
    crypto = await measureCrypto(options.cryptoBytes, log);
  }
  if (options.phases.has('chunks')) {
    await idleBefore('chunks');
    log(`StealthCloud: the chunks of that file to both chunk stores, ${options.chunksInFlight} in flight:`);
    const chunks = join(workDir, 'chunks');
    chunkStore = await compareChunkStores(chunks, options.cryptoBytes, options.chunksInFlight, log);
    await rm(chunks, { recursive: true, force: true });
  }
  return stealthCloudRows({ crypto, chunkStore, chunksInFlight: options.chunksInFlight });
}

try {
  await main();
} catch (error) {
  console.error('Benchmark crashed:', error);
  process.exitCode = 1;
}
