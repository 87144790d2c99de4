/**
 * Who wrote a staging file, so that cleaning staging never destroys another live process's upload.
 *
 * [Note: staging owners] Several server processes may share one data directory (two `npm start`s, a service
 * and a `photosync serve`), and each cleans staging when it starts. A staging file is therefore named after
 * its writer, `{host}-{pid}-{instance}.{uuid}.part`, and the writer refreshes the mtime of its files in
 * flight every HEARTBEAT_MS. Another writer's file is removed only when that writer is provably gone:
 * - on this host, no process has its pid (the usual case after a crash: reclaimed at the next start);
 * - it has our pid but is not us (a restarted container, where the server is always pid 1);
 * - or nothing refreshed the file for STALE_MS (its pid was reused, or it runs on another host).
 * Files without an owner tag come from a version that did not write one and are treated like our own.
 * Must never: call a file of a live writer a leftover.
 */
import { createHash, randomBytes } from 'node:crypto';
import { utimes } from 'node:fs/promises';
import { hostname } from 'node:os';

export const HEARTBEAT_MS = 30_000;
export const STALE_MS = 10 * HEARTBEAT_MS;

export interface StagingOwner {
  readonly host: string;
  readonly pid: number;
  readonly instance: string;
}

/** This process, fixed for its lifetime (shared by every store in it). */
export const SELF: StagingOwner = {
  host: createHash('sha256').update(hostname()).digest('hex').slice(0, 8),
  pid: process.pid,
  instance: randomBytes(4).toString('hex'),
};

const TAG = /^([0-9a-f]{8})-(\d{1,10})-([0-9a-f]{8})\./;

export function ownerTag(owner: StagingOwner): string {
  return `${owner.host}-${owner.pid}-${owner.instance}`;
}

export function parseOwner(fileName: string): StagingOwner | undefined {
  const match = TAG.exec(fileName);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { host: match[1], pid: Number(match[2]), instance: match[3] };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/** True when the file belongs to another process that may still be writing it (see the Note above). */
export function ownedByAnotherLiveProcess(fileName: string, modifiedMs: number, now = Date.now()): boolean {
  const owner = parseOwner(fileName);
  if (!owner) return false;
  if (owner.host === SELF.host && owner.pid === SELF.pid && owner.instance === SELF.instance) return false;
  if (now - modifiedMs > STALE_MS) return false;
  if (owner.host !== SELF.host) return true;
  if (owner.pid === SELF.pid) return false;
  return pidExists(owner.pid);
}

/** Keeps the mtimes of this process's staging files in flight fresh, so other processes see it alive. */
export class StagingHeartbeat {
  private readonly paths = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly onTick: () => Promise<unknown> = async () => undefined) {}

  track(path: string): void {
    this.paths.add(path);
    this.timer ??= setInterval(() => void this.beat(), HEARTBEAT_MS).unref();
  }

  untrack(path: string): void {
    this.paths.delete(path);
    if (this.paths.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async beat(): Promise<void> {
    const now = new Date();
    await Promise.all([...this.paths].map((path) => utimes(path, now, now).catch(() => undefined)));
    await this.onTick().catch(() => undefined);
  }
}
