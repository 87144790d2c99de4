/**
 * Runs an installed PhotoSync the way its service does: `node --import tsx apps/server/src/main.ts` in the
 * folder `current` points to, with the given environment, optionally as another user (uid/gid). Resolves
 * once the server logs its loopback address; `stop()` sends SIGTERM and waits for the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface InstalledServer {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<number | string>;
}

export interface StartOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** The command line; default: the service's. */
  readonly command?: readonly string[];
  readonly uid?: number;
  readonly gid?: number;
}

export async function startInstalledServer(options: StartOptions): Promise<InstalledServer> {
  const [file = process.execPath, ...args] = options.command ?? [
    process.execPath,
    '--import',
    'tsx',
    'apps/server/src/main.ts',
  ];
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
  return {
    url,
    pid: child.pid ?? -1,
    child,
    output: () => log,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A minimal account session against a running server (register → headers). */
export async function registerOverHttp(url: string, email: string): Promise<Record<string, string>> {
  const deviceUuid = `device-${email.replace(/[^A-Za-z0-9._:-]/g, '-')}`;
  const response = await fetch(`${url}/api/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({ email, password: 'correct-horse-1', device_uuid: deviceUuid }),
  });
  if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  return { authorization: `Bearer ${token}`, 'x-device-uuid': deviceUuid, connection: 'close' };
}
