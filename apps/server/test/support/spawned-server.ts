/**
 * The part every harness that runs the server as a separate process shares: spawn a command line, collect
 * what it logs, and resolve once it logs its loopback address (or reject with the log if it exits first).
 * Used by ./server-process.ts (the checkout's server) and ../update/support/installed-server.ts (an installed
 * copy, as its service runs it). Must never: stop the process — its caller decides how (SIGTERM, SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface SpawnedServer {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` from the "Server listening at" line. */
  readonly url: string;
  readonly pid: number;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** Everything the process logged so far (stdout and stderr). */
  output(): string;
}

export interface SpawnOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly uid?: number;
  readonly gid?: number;
}

/** Run `[file, ...args]` and wait until the server in it listens on 127.0.0.1. */
export async function spawnServer(command: readonly string[], options: SpawnOptions): Promise<SpawnedServer> {
  const [file = process.execPath, ...args] = command;
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  let log = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (data: Buffer): void => {
      log += data.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${log}`)));
  });
  return { child, url, pid: child.pid ?? -1, exited, output: () => log };
}
