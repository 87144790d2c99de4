/**
 * Programs the bench runs to completion in a child process and times from spawn to exit, as `time` would for
 * a user: a crypto pass (./crypto-pass.ts), and the real `photosync backup` as a script or cron job runs it —
 * `node apps/cli/bin/photosync.js backup <dir> --server URL --email ADDRESS --state-dir DIR --json` with the
 * password in PHOTOSYNC_PASSWORD (start-up, sign-in, scan, hash, bulk check, uploads, hash-cache save).
 * Stdout is collected (a small JSON report); only a tail of stderr is kept, for the error message.
 * Must never: leave a child running past its timeout, let a failed run (non-zero exit) pass for a result,
 * or put a password on a command line.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BackupReport } from '@photosync/client';
import { secondsSince } from './http-load.ts';
import { exitedChildrenCpuSeconds, type BenchServer } from './server-processes.ts';
import type { Credentials } from './targets.ts';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const STDERR_TAIL_CHARS = 4_000;
const STDOUT_MAX_CHARS = 1_000_000;
const CLI_BIN = fileURLToPath(new URL('../apps/cli/bin/photosync.js', import.meta.url));
const CLI_TIMEOUT_MS = 15 * 60_000;

export interface ChildRun {
  /** From spawn to exit. */
  readonly seconds: number;
  /** User + system CPU time of the child (exact while no other child of the bench exits meanwhile). */
  readonly cpuSeconds: number;
  readonly stdout: string;
}

export interface ChildRunOptions {
  readonly env?: Record<string, string>;
  readonly timeoutMs: number;
}

/** `node ...args` in the repository root; rejects on a non-zero exit, a signal or the timeout. */
export async function runNode(args: readonly string[], options: ChildRunOptions): Promise<ChildRun> {
  const cpuBefore = await exitedChildrenCpuSeconds();
  const { seconds, stdout } = await spawnToExit(args, options);
  return { seconds, cpuSeconds: (await exitedChildrenCpuSeconds()) - cpuBefore, stdout };
}

function spawnToExit(args: readonly string[], options: ChildRunOptions): Promise<{ seconds: number; stdout: string }> {
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    if (stdout.length < STDOUT_MAX_CHARS) stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_TAIL_CHARS);
  });
  const name = args.find((arg) => !arg.startsWith('-') && arg !== 'tsx') ?? 'node';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} ${args.slice(-4).join(' ')}: no exit within ${options.timeoutMs} ms:\n${stderr}`));
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    let seconds = Number.NaN;
    child.once('exit', () => (seconds = secondsSince(start)));
    // 'close' comes after 'exit', once stdout has been read to the end.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ seconds, stdout });
      else reject(new Error(`${name} exited with ${code ?? signal}:\n${stderr}\n${stdout.slice(-STDERR_TAIL_CHARS)}`));
    });
  });
}

export interface CliBackupRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly report: BackupReport;
}

/** One `photosync backup` of `dir` to `server`, keeping its session and hash cache in `stateDir`. */
export async function runCliBackup(
  dir: string,
  server: BenchServer,
  credentials: Credentials,
  stateDir: string,
): Promise<CliBackupRun> {
  const args = ['backup', dir, '--server', server.url, '--email', credentials.email, '--state-dir', stateDir, '--json'];
  const { seconds, cpuSeconds, stdout } = await runNode([CLI_BIN, ...args], {
    env: { PHOTOSYNC_PASSWORD: credentials.password },
    timeoutMs: CLI_TIMEOUT_MS,
  });
  const report = JSON.parse(stdout) as BackupReport;
  if (report.failed.length > 0) {
    throw new Error(
      `photosync backup: ${report.failed.length} file(s) failed, e.g. ${JSON.stringify(report.failed[0])}`,
    );
  }
  return { seconds, cpuSeconds, report };
}
