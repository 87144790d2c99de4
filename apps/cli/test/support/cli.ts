/**
 * Runs the real `photosync` CLI (`node apps/cli/bin/photosync.js`) as a child process, the way a person or
 * cron does: password in PHOTOSYNC_PASSWORD, everything else as flags; and a real server process with an
 * account registered through the client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@photosync/client';
import { startServerProcess, type ServerProcess } from '../../../server/test/support/server-process.ts';

export const BIN = fileURLToPath(new URL('../../bin/photosync.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRun {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
}

export function spawnCli(args: readonly string[], env: Record<string, string> = {}, command: string[] = []): CliRun {
  const [file, ...prefix] = command.length > 0 ? command : [process.execPath];
  const child = spawn(file!, [...prefix, ...(command.length > 0 ? [process.execPath] : []), BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
  const done = new Promise<CliResult>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

export function runCli(args: readonly string[], env: Record<string, string> = {}, command: string[] = []) {
  return spawnCli(args, env, command).done;
}

/** Parse the --json document a command printed, with the output in the error when it is not JSON. */
export function jsonOf<T>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

export interface Account {
  readonly server: ServerProcess;
  readonly url: string;
  readonly email: string;
  readonly password: string;
  readonly dataDir: string;
  /** `--server URL --email ADDRESS --state-dir DIR` */
  flags(stateDir: string, url?: string): string[];
  /** The environment that carries the password. */
  readonly env: Record<string, string>;
}

/** A fresh server process on a temporary data dir, with one registered account. */
export async function serverWithAccount(): Promise<Account> {
  const dataDir = await mkdtemp(join(tmpdir(), 'photosync-cli-e2e-'));
  const server = await startServerProcess(dataDir, {
    AUTH_RATE_LIMIT_PER_IP: '1000',
    AUTH_RATE_LIMIT_PER_EMAIL: '1000',
  });
  const email = `cli-${process.pid}@example.com`;
  const password = 'correct-horse-battery-1';
  await createClient({ baseUrl: server.url }).register({ email, password });
  return {
    server,
    url: server.url,
    email,
    password,
    dataDir,
    env: { PHOTOSYNC_PASSWORD: password },
    flags: (stateDir, url = server.url) => ['--server', url, '--email', email, '--state-dir', stateDir],
  };
}

/** A client signed in as the account, to look at the library from the outside. */
export async function signedInClient(account: Account) {
  const anonymous = createClient({ baseUrl: account.url });
  const deviceUuid = `e2e-observer-${process.pid}`;
  const { token } = await anonymous.login({ email: account.email, password: account.password, deviceUuid });
  return createClient({ baseUrl: account.url, auth: { token, deviceUuid } });
}
