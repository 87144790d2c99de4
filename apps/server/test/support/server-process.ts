/**
 * End-to-end harness: the real server as a separate process (`src/main.ts` through tsx), as a user runs it,
 * so tests can SIGKILL it, SIGTERM it and restart it on the same data directory.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { spawnServer, type SpawnedServer } from './spawned-server.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface ServerProcess extends SpawnedServer {
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

export async function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await spawnServer([process.execPath, '--import', 'tsx', MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, PHOTOSYNC_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
  });
  return {
    ...server,
    kill: (signal) => {
      server.child.kill(signal);
      return server.exited;
    },
  };
}

/** Peak resident memory (VmHWM) of a process in bytes, from /proc. */
export async function peakRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  if (!kib) throw new Error('VmHWM not found');
  return Number(kib) * 1024;
}
