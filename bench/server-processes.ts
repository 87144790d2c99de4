/**
 * The servers under test, each in a child process of its own (`node --env-file=apps/server/threadpool.env
 * --import tsx`, as `npm start` runs ours), so their memory and CPU are read from /proc apart from the load
 * generator and from each other. The baseline gets the same env file: both run with libuv's thread pool at the
 * size our start commands set (16), so the comparison is of the servers, not of their runtime settings.
 * Ours logs at LOG_LEVEL=info (its default, and the level that prints the listening address).
 * BENCH_OURS_NODE_FLAGS (space-separated, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") is passed to node for
 * our server only, for profiling it under the benchmark's load.
 * Must never: bind beyond loopback, or leave a child running after `stop()`.
 *
 * Not apps/server/test/support/server-process.ts: that harness keeps the whole log and re-scans it on
 * every chunk, which costs the load generator CPU over thousands of logged requests; here only a short
 * tail is kept, for the error message when a server dies.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUR_MAIN = fileURLToPath(new URL('../apps/server/src/main.ts', import.meta.url));
const BASELINE_MAIN = fileURLToPath(new URL('./baseline-server.ts', import.meta.url));
/** What `npm start` passes to node before our code runs (the thread pool size; see docs/DECISIONS.md). */
const START_ENV_FILE = fileURLToPath(new URL('../apps/server/threadpool.env', import.meta.url));
const LOG_TAIL_CHARS = 8_000;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/** USER_HZ: /proc/<pid>/stat counts CPU time in these ticks; 100 on every Linux build Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface BenchServer {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL if it has not exited within STOP_TIMEOUT_MS. */
  stop(): Promise<void>;
}

async function startChild(
  name: string,
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  nodeFlags: readonly string[] = [],
): Promise<BenchServer> {
  const child = spawn(process.execPath, [`--env-file=${START_ENV_FILE}`, ...nodeFlags, '--import', 'tsx', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  let url: string | undefined;
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`${code ?? signal}`)));
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (data: Buffer): void => {
      tail = (tail + data.toString()).slice(-LOG_TAIL_CHARS);
      url ??= ready.exec(tail)?.[1];
      if (url) resolve(url);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`${name} exited (${code}) before listening:\n${tail}`)));
    setTimeout(
      () => reject(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms:\n${tail}`)),
      START_TIMEOUT_MS,
    ).unref();
  });
  try {
    await listening;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    name,
    url: url ?? '',
    pid: child.pid ?? -1,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Our server (apps/server/src/main.ts) on `dataDir`. */
export function startOurServer(dataDir: string): Promise<BenchServer> {
  return startChild(
    'ours',
    OUR_MAIN,
    { PHOTOSYNC_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    /Server listening at (http:\/\/127\.0\.0\.1:\d+)/,
    (process.env['BENCH_OURS_NODE_FLAGS'] ?? '').split(' ').filter((flag) => flag !== ''),
  );
}

/** The bare baseline (./baseline-server.ts) writing into `directory`. */
export function startBaselineServer(directory: string): Promise<BenchServer> {
  return startChild(
    'baseline',
    BASELINE_MAIN,
    { BASELINE_DIR: directory },
    /Baseline listening at (http:\/\/127\.0\.0\.1:\d+)/,
  );
}

/** Peak resident memory so far (VmHWM) of a process, in bytes. */
export async function peakRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  if (kib === undefined) throw new Error(`VmHWM not found for pid ${pid}`);
  return Number(kib) * 1024;
}

/** The fields of /proc/<pid>/stat after the parenthesised command name (field 3 of the line is index 0). */
async function statFields(pid: number | 'self'): Promise<string[]> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The live child processes of `pid` (from every thread's `children` list), and theirs, recursively. */
async function descendants(pid: number): Promise<number[]> {
  const found: number[] = [];
  const threads = await readdir(`/proc/${pid}/task`).catch(() => []);
  for (const thread of threads) {
    const list = await readFile(`/proc/${pid}/task/${thread}/children`, 'utf8').catch(() => '');
    for (const child of list.split(' ').filter((text) => text !== '')) {
      found.push(Number(child), ...(await descendants(Number(child))));
    }
  }
  return found;
}

/**
 * User + system CPU time a server has used so far, in seconds: its own (every thread), that of the tools it
 * ran and waited for (ffmpeg, exiftool... for media jobs: cutime/cstime), and that of the ones still running.
 * Counting the tools matters twice: "server CPU s" shows the whole cost, and `settle` does not call a server
 * idle while its tools still compete for the CPU with the next timed run.
 */
export async function cpuSeconds(pid: number): Promise<number> {
  // utime, stime, cutime, cstime are fields 14 to 17 of the whole line.
  const fields = await statFields(pid);
  let ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  for (const child of await descendants(pid)) {
    const childFields = await statFields(child).catch(() => undefined);
    if (childFields) ticks += Number(childFields[11]) + Number(childFields[12]);
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** User + system CPU time of this process's children that have exited and been waited for, in seconds. */
export async function exitedChildrenCpuSeconds(): Promise<number> {
  // cutime and cstime are fields 16 and 17 of the whole line.
  const fields = await statFields('self');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
}

const SETTLE_WINDOW_MS = 500;
/** Under this share of one core over a window counts as idle (timers and housekeeping stay well below). */
const SETTLE_IDLE_SHARE = 0.05;

/**
 * Wait until a server has finished background work (media jobs after uploads, a backlog after a restart):
 * two consecutive windows under SETTLE_IDLE_SHARE of one core, or `timeoutMs`. Returns the seconds waited
 * and whether it did settle.
 */
export async function settle(pid: number, timeoutMs: number): Promise<{ seconds: number; settled: boolean }> {
  const start = Date.now();
  let quietWindows = 0;
  let before = await cpuSeconds(pid);
  while (Date.now() - start < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_WINDOW_MS));
    const now = await cpuSeconds(pid);
    quietWindows = now - before < (SETTLE_IDLE_SHARE * SETTLE_WINDOW_MS) / 1000 ? quietWindows + 1 : 0;
    before = now;
    if (quietWindows >= 2) return { seconds: (Date.now() - start) / 1000, settled: true };
  }
  return { seconds: (Date.now() - start) / 1000, settled: false };
}
