/**
 * Runs an installed PhotoSync the way its service does: `node --import tsx apps/server/src/main.ts` in the
 * folder `current` points to, with the given environment, optionally as another user (uid/gid). Resolves
 * once the server logs its loopback address; `stop()` sends SIGTERM and waits for the exit.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnServer } from '../../support/spawned-server.ts';

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
  const { command = [process.execPath, '--import', 'tsx', 'apps/server/src/main.ts'], ...spawnOptions } = options;
  const server = await spawnServer(command, spawnOptions);
  return {
    url: server.url,
    pid: server.pid,
    child: server.child,
    output: () => server.output(),
    stop: () => {
      server.child.kill('SIGTERM');
      return server.exited;
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
