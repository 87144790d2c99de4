/**
 * The real server for the reliability suite: a separate process on a data directory the test owns (reusing
 * apps/server's process harness), accounts made through the client, and the server's memory read from /proc.
 * Rate limits are lifted for the processes started here, except where a test asks for them.
 * Must never: talk to anything but loopback.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type PhotoSyncClient } from '@photosync/client';
import { startServerProcess, type ServerProcess } from '../../apps/server/test/support/server-process.ts';
import type { Session } from '../../apps/server/test/support/test-server.ts';

export type { ServerProcess, Session };

/** Lift the sign-in limits (tests sign in hundreds of times); the attack tests set their own. */
export const RELAXED_LIMITS = { AUTH_RATE_LIMIT_PER_IP: '1000000', AUTH_RATE_LIMIT_PER_EMAIL: '1000000' };

export function startServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServerProcess(dataDir, { PHOTOSYNC_UPDATE_CHECK: 'off', ...RELAXED_LIMITS, ...env });
}

/** Temporary directories, removed together at the end of a test file. */
export function tempDirs(): { make(label: string): Promise<string>; removeAll(): Promise<void> } {
  const made: string[] = [];
  return {
    make: async (label) => {
      const dir = await mkdtemp(join(tmpdir(), `photosync-rel-${label}-`));
      made.push(dir);
      return dir;
    },
    removeAll: async () => {
      await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** A signed-in account: the test-server Session shape plus its storage uuid (from the token). */
export interface Account extends Session {
  readonly uuid: string;
  readonly password: string;
  readonly client: PhotoSyncClient;
}

function tokenClaims(token: string): { id: number; user_uuid: string } {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    id: number;
    user_uuid: string;
  };
}

export function accountFrom(
  baseUrl: string,
  login: { token: string; email: string; password: string; deviceUuid: string },
): Account {
  const claims = tokenClaims(login.token);
  return {
    token: login.token,
    userId: claims.id,
    uuid: claims.user_uuid,
    email: login.email,
    password: login.password,
    deviceUuid: login.deviceUuid,
    headers: { authorization: `Bearer ${login.token}`, 'x-device-uuid': login.deviceUuid },
    client: createClient({ baseUrl, auth: { token: login.token, deviceUuid: login.deviceUuid } }),
  };
}

/** Register a new account on the server at `baseUrl`. */
export async function signUp(
  baseUrl: string,
  email: string,
  deviceUuid = `${email.replace(/[^A-Za-z0-9._:-]/g, '-')}-device`,
): Promise<Account> {
  const password = `pw-${email}-long-enough`;
  const session = await createClient({ baseUrl }).register({ email, password, deviceUuid });
  return accountFrom(baseUrl, { token: session.token, email, password, deviceUuid });
}

/** The same account against another server URL (tokens survive restarts: the secret is in the data dir). */
export function reconnect(account: Account, baseUrl: string): Account {
  return accountFrom(baseUrl, account);
}

/** Resident memory of a process in MiB: `VmRSS` now, `VmHWM` its peak so far. */
export async function memoryMiB(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: Math.round(field('VmRSS')), peak: Math.round(field('VmHWM')) };
}

/** True while the process exists (signal 0 probes without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
