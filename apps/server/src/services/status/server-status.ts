/**
 * What the web admin page and the tray show about the server itself: the version it runs, since when, on
 * which Node and OS, the addresses a phone can use, and the last update check. Plain data; no secrets, no
 * filesystem paths (any signed-in account may read it).
 */
import type { ServerStatus } from '@photosync/protocol';
import { phoneUrls } from '../network/lan-addresses.ts';
import type { UpdateChecker } from '../update/update-checker.ts';

export interface ServerStatusDeps {
  readonly version: string;
  readonly updates: Pick<UpdateChecker, 'status'>;
  /** The HOST the server listens on (decides which LAN addresses are reachable). */
  readonly host: string;
  readonly now?: () => Date;
  readonly lanUrls?: (host: string, port: number) => string[];
}

export class ServerStatusService {
  private readonly now: () => Date;
  private readonly startedAt: Date;

  constructor(private readonly deps: ServerStatusDeps) {
    this.now = deps.now ?? (() => new Date());
    this.startedAt = this.now();
  }

  /** The status, given the port the server really listens on (known only after listen). */
  read(port: number): ServerStatus {
    const uptimeMs = Math.max(0, this.now().getTime() - this.startedAt.getTime());
    return {
      version: this.deps.version,
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.floor(uptimeMs / 1000),
      node: process.version,
      platform: process.platform,
      lanUrls: port > 0 ? (this.deps.lanUrls ?? phoneUrls)(this.deps.host, port) : [],
      update: this.deps.updates.status(),
    };
  }
}
