/**
 * Issue 4: the backup client, on one pair of servers side by side (one under load at a time).
 * - Initial backup: a folder of ~3 MB JPEG-like photos on disk (./photo-folders.ts, written untimed) backed
 *   up by the real CLI to our server (./child-run.ts: process start to exit), and the same files streamed
 *   by a minimal client — node:http, a fixed number of files in flight, each file read from disk, no hashing —
 *   to the bare baseline server. Wall time and MB/s; server CPU until the server is idle again.
 *   BACKUP_ROUNDS rounds, alternating which goes first (baseline–ours, then ours–baseline), as the other phases
 *   do: on this machine whichever backup runs second was measured 35–50% slower, whichever it was. Each round
 *   of ours backs up the same folder into a new account with a new state dir, so every round uploads it all.
 * - Then the re-run over an unchanged tree on our server (./unchanged-rerun.ts).
 * Must never: time the folder writing, or leave a server running.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { runCliBackup } from './child-run.ts';
import { keepAliveAgent, runBounded, secondsSince, sendOk } from './http-load.ts';
import type { BenchOptions } from './options.ts';
import type { PhotoPool } from './payloads.ts';
import { writePhotoFolder, type PhotoFolder } from './photo-folders.ts';
import { cpuSeconds, settle, startBaselineServer, startOurServer, type BenchServer } from './server-processes.ts';
import { baselineUploadTarget, newCredentials, signUp, type UploadTarget } from './targets.ts';
import { measureUnchangedRerun, type UnchangedRerunResult } from './unchanged-rerun.ts';
import { turnOrder, type ServerKind } from './upload-comparison.ts';

const SETTLE_TIMEOUT_MS = 120_000;
/** Rounds of the initial backup, each server going first in half of them. */
const BACKUP_ROUNDS = 2;

export interface BackupResult {
  /** Files of the folder; each of `rounds` runs backed up all of them (bytes, seconds and CPU are totals). */
  readonly files: number;
  readonly rounds: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly mbPerSecond: number;
  readonly serverCpuSeconds: number;
  /** The CLI process, or the minimal client (this process, which does nothing else meanwhile). */
  readonly clientCpuSeconds: number;
}

interface ClientRun {
  readonly seconds: number;
  readonly clientCpuSeconds: number;
}

export interface BackupMeasurements {
  readonly initial: Record<ServerKind, BackupResult>;
  readonly rerun: UnchangedRerunResult;
}

/** The minimal client: every file of `folder` streamed from disk as one POST, `clients` at a time. */
async function minimalClientBackup(target: UploadTarget, folder: PhotoFolder, clients: number): Promise<ClientRun> {
  const agent = keepAliveAgent(clients);
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  try {
    await runBounded(folder.paths.length, clients, async (index) => {
      const path = folder.paths[index] ?? '';
      const { size } = await stat(path);
      const answer = await sendOk(agent, {
        method: 'POST',
        url: target.url,
        headers: target.headersFor(basename(path), size),
        stream: createReadStream(path),
      });
      const { size: stored } = JSON.parse(answer.body) as { size?: unknown };
      if (stored !== size) throw new Error(`baseline stored ${String(stored)} of ${size} bytes of ${path}`);
    });
  } finally {
    agent.destroy();
  }
  const seconds = secondsSince(start);
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds, clientCpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** Run `backup` (which times itself) and add the server's CPU until it is idle again. */
async function timed(
  server: BenchServer,
  folder: PhotoFolder,
  backup: () => Promise<ClientRun>,
): Promise<BackupResult> {
  const cpuBefore = await cpuSeconds(server.pid);
  const { seconds, clientCpuSeconds } = await backup();
  await settle(server.pid, SETTLE_TIMEOUT_MS);
  const serverCpuSeconds = (await cpuSeconds(server.pid)) - cpuBefore;
  const { bytes } = folder;
  const mbPerSecond = bytes / 1e6 / seconds;
  return { files: folder.paths.length, rounds: 1, bytes, seconds, mbPerSecond, serverCpuSeconds, clientCpuSeconds };
}

/** Several runs as one: files, bytes, seconds and CPU added up, MB/s over the whole. */
function total(results: readonly BackupResult[]): BackupResult {
  const sum = (pick: (result: BackupResult) => number): number => results.reduce((acc, r) => acc + pick(r), 0);
  const [bytes, seconds] = [sum((r) => r.bytes), sum((r) => r.seconds)];
  return {
    files: results[0]?.files ?? 0,
    rounds: results.length,
    bytes,
    seconds,
    mbPerSecond: bytes / 1e6 / seconds,
    serverCpuSeconds: sum((r) => r.serverCpuSeconds),
    clientCpuSeconds: sum((r) => r.clientCpuSeconds),
  };
}

export async function measureBackups(
  workDir: string,
  pool: PhotoPool,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<BackupMeasurements> {
  const writeStart = process.hrtime.bigint();
  const folder = await writePhotoFolder(join(workDir, 'photos'), pool, options.photos);
  log(
    `  wrote ${folder.paths.length} photos (${(folder.bytes / 1e9).toFixed(2)} GB) ` +
      `in ${secondsSince(writeStart).toFixed(1)} s`,
  );
  const servers: BenchServer[] = [];
  try {
    const baseline = await startBaselineServer(join(workDir, 'baseline'));
    servers.push(baseline);
    const ours = await startOurServer(join(workDir, 'ours'));
    servers.push(ours);
    const target = baselineUploadTarget(baseline);
    const runs: Record<ServerKind, BackupResult[]> = { baseline: [], ours: [] };
    let credentials = newCredentials();
    for (let round = 0; round < BACKUP_ROUNDS; round++) {
      for (const kind of turnOrder(round)) {
        if (kind === 'baseline') {
          const base = await timed(baseline, folder, () => minimalClientBackup(target, folder, options.clients));
          runs.baseline.push(base);
          log(
            `  round ${round + 1}, baseline, minimal client: ${base.seconds.toFixed(1)} s, ${base.mbPerSecond.toFixed(1)} MB/s`,
          );
          continue;
        }
        credentials = newCredentials();
        await signUp(ours, credentials);
        const stateDir = join(workDir, `state-photos-${round}`);
        const cli = await timed(ours, folder, async () => {
          const run = await runCliBackup(folder.dir, ours, credentials, stateDir);
          if (run.report.filesUploaded !== folder.paths.length || run.report.bytesSent !== folder.bytes) {
            throw new Error(`photosync backup sent ${run.report.filesUploaded} files, ${run.report.bytesSent} bytes`);
          }
          return { seconds: run.seconds, clientCpuSeconds: run.cpuSeconds };
        });
        runs.ours.push(cli);
        log(
          `  round ${round + 1}, ours, photosync backup: ${cli.seconds.toFixed(1)} s, ${cli.mbPerSecond.toFixed(1)} MB/s`,
        );
      }
    }
    const rerun = await measureUnchangedRerun(workDir, ours, credentials, options, log);
    return { initial: { baseline: total(runs.baseline), ours: total(runs.ours) }, rerun };
  } finally {
    for (const server of servers) await server.stop();
  }
}
