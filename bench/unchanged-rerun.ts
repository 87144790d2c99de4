/**
 * Issue 4, second half: `photosync backup` run again over a tree nothing changed in. A folder of small
 * JPEG-like files is backed up once (untimed: it fills the server and the CLI's hash cache), then the same
 * command runs again with the same state dir and is timed from process start to exit. With the hash cache
 * this is a metadata scan plus one bulk check; its --json report must show 0 bytes sent.
 * Must never: time the first backup, or hide a re-run that re-hashed or re-sent files (both are reported).
 */
import { join } from 'node:path';
import { runCliBackup } from './child-run.ts';
import { secondsSince } from './http-load.ts';
import type { BenchOptions } from './options.ts';
import { writeSmallPhotoFolder } from './photo-folders.ts';
import type { BenchServer } from './server-processes.ts';
import type { Credentials } from './targets.ts';

export interface UnchangedRerunResult {
  readonly files: number;
  readonly fileBytes: number;
  /** The untimed first backup, for the log and the report's context. */
  readonly firstRunSeconds: number;
  /** The timed second run, process start to exit, and the CPU time it used. */
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly bytesSent: number;
  readonly filesUploaded: number;
  readonly filesHashedFromCache: number;
}

export async function measureUnchangedRerun(
  workDir: string,
  server: BenchServer,
  credentials: Credentials,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<UnchangedRerunResult> {
  const writeStart = process.hrtime.bigint();
  const folder = await writeSmallPhotoFolder(
    join(workDir, 'unchanged'),
    options.unchangedFiles,
    options.unchangedFileBytes,
  );
  log(`  wrote ${folder.paths.length} small photos in ${secondsSince(writeStart).toFixed(1)} s`);
  const stateDir = join(workDir, 'state-unchanged');
  const first = await runCliBackup(folder.dir, server, credentials, stateDir);
  if (first.report.filesUploaded !== folder.paths.length) {
    throw new Error(`first backup uploaded ${first.report.filesUploaded} of ${folder.paths.length} files`);
  }
  log(`  first backup of them (untimed): ${first.seconds.toFixed(1)} s`);
  const again = await runCliBackup(folder.dir, server, credentials, stateDir);
  const { report } = again;
  if (report.filesScanned !== folder.paths.length) {
    throw new Error(`re-run scanned ${report.filesScanned} of ${folder.paths.length} files`);
  }
  log(
    `  re-run over ${report.filesScanned} unchanged files: ${again.seconds.toFixed(2)} s ` +
      `(CPU ${again.cpuSeconds.toFixed(2)} s), ` +
      `${report.bytesSent} bytes sent, ${report.filesHashedFromCache} hashes from the cache`,
  );
  return {
    files: folder.paths.length,
    fileBytes: options.unchangedFileBytes,
    firstRunSeconds: first.seconds,
    seconds: again.seconds,
    cpuSeconds: again.cpuSeconds,
    bytesSent: report.bytesSent,
    filesUploaded: report.filesUploaded,
    filesHashedFromCache: report.filesHashedFromCache,
  };
}
