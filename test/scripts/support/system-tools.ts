/**
 * Script tests run real tools (shellcheck, systemd-analyze, useradd). A missing tool is installed through
 * apt when the test runs as root (as CI does); otherwise the test fails with the exact command to run.
 * Never a silent skip.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';

export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Make sure `command` exists, installing Debian package `aptPackage` if needed and possible. */
export function ensureTool(command: string, aptPackage: string): void {
  if (hasCommand(command)) return;
  const install = `apt-get install -y --no-install-recommends ${aptPackage}`;
  if (!isRoot()) throw new Error(`${command} is missing: run  sudo apt-get update && sudo ${install}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (spawnSync('sh', ['-c', install], { env, stdio: 'ignore' }).status !== 0) {
    execFileSync('sh', ['-c', `apt-get update && ${install}`], { env, stdio: 'ignore' });
  }
  if (!hasCommand(command)) throw new Error(`${command} is still missing after \`${install}\``);
}

/** Fail with a clear message unless running as root. */
export function requireRoot(why: string): void {
  if (!isRoot())
    throw new Error(`this test must run as root (${why}); run it as root, e.g. sudo npx vitest run test/scripts`);
}

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a command to completion with the given stdin, returning its output and exit code. */
export function run(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
): ProcessResult {
  const result = spawnSync(file, [...args], {
    env: options.env ?? process.env,
    input: options.input ?? '',
    cwd: options.cwd,
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like run(), without blocking this process (needed when the command talks to a server running here). */
export function runAsync(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { env: options.env ?? process.env, cwd: options.cwd, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
