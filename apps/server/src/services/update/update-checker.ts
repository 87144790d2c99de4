/**
 * The background update check: asks the release feed once at start and then every 24 hours, remembers
 * the answer for `/api/v2/server/status`, and logs it. It never delays start-up (the first check is
 * fire-and-forget, every request has a timeout), never keeps the process alive (the timer is unref'd), and
 * never downloads or installs anything: installing is `npm run update`, run by a person.
 */
import type { UpdateStatus } from '@photosync/protocol';
import { fetchLatestRelease } from './release-feed.ts';
import { isOfferedUpdate, parseVersion } from './semver.ts';
import { CHECK_INTERVAL_MS, type UpdateConfig } from './update-config.ts';

export interface UpdateLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** Runs `task` every `everyMs`; returns a function that cancels it. */
export type Scheduler = (task: () => void, everyMs: number) => () => void;

export interface UpdateCheckerDeps {
  readonly config: UpdateConfig;
  readonly currentVersion: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly schedule?: Scheduler;
}

export const UPDATE_COMMAND = 'npm run update';

/** Default scheduler: an interval that never holds the process open. */
const unrefInterval: Scheduler = (task, everyMs) => {
  const timer = setInterval(task, everyMs);
  timer.unref();
  return () => clearInterval(timer);
};

export class UpdateChecker {
  private state: UpdateStatus;
  private inFlight: Promise<UpdateStatus> | undefined;
  private cancelSchedule: (() => void) | undefined;
  private readonly now: () => Date;

  constructor(private readonly deps: UpdateCheckerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.state = {
      state: deps.config.checkEnabled ? 'pending' : 'off',
      currentVersion: deps.currentVersion,
      latestVersion: null,
      releaseNotes: null,
      releaseUrl: null,
      publishedAt: null,
      checkedAt: null,
      nextCheckAt: null,
      error: null,
      updateCommand: UPDATE_COMMAND,
    };
  }

  /** What the last check found (for the status route). */
  status(): UpdateStatus {
    return this.state;
  }

  /** Check now. Never throws: a failure is recorded as state `failed`. Concurrent calls share one request. */
  check(): Promise<UpdateStatus> {
    this.inFlight ??= this.runCheck().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Start background checks (no-op when PHOTOSYNC_UPDATE_CHECK=off or when already started). */
  start(log: UpdateLogger): void {
    if (!this.deps.config.checkEnabled || this.cancelSchedule) return;
    const checkAndLog = (): void => {
      void this.check().then((status) => logResult(log, status));
    };
    this.cancelSchedule = (this.deps.schedule ?? unrefInterval)(checkAndLog, CHECK_INTERVAL_MS);
    checkAndLog();
  }

  /** Stop background checks; an in-flight request finishes on its own (it has a timeout). */
  stop(): void {
    this.cancelSchedule?.();
    this.cancelSchedule = undefined;
  }

  private async runCheck(): Promise<UpdateStatus> {
    const { config, currentVersion } = this.deps;
    const base = { ...this.state, error: null };
    try {
      const release = await fetchLatestRelease({
        url: config.feedUrl,
        userAgent: `PhotoSync/${currentVersion}`,
        timeoutMs: config.timeoutMs,
        ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
      });
      const offered = isOfferedUpdate(parseVersion(currentVersion), release.version, release.prerelease);
      this.state = {
        ...base,
        state: offered ? 'available' : 'up-to-date',
        latestVersion: release.version.text,
        releaseNotes: release.notes,
        releaseUrl: release.url,
        publishedAt: release.publishedAt,
      };
    } catch (error) {
      this.state = { ...base, state: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
    const finished = this.now();
    this.state = {
      ...this.state,
      checkedAt: finished.toISOString(),
      nextCheckAt: this.cancelSchedule ? new Date(finished.getTime() + CHECK_INTERVAL_MS).toISOString() : null,
    };
    return this.state;
  }
}

function logResult(log: UpdateLogger, status: UpdateStatus): void {
  const details = { currentVersion: status.currentVersion, latestVersion: status.latestVersion };
  switch (status.state) {
    case 'available':
      log.warn(
        details,
        `PhotoSync ${status.latestVersion} is available (this server runs ${status.currentVersion}). ` +
          `Install it with \`${UPDATE_COMMAND}\`, then restart the server.`,
      );
      return;
    case 'up-to-date':
      log.info(details, `PhotoSync ${status.currentVersion} is up to date`);
      return;
    case 'failed':
      log.warn({ ...details, error: status.error }, 'update check failed; will try again in 24 hours');
      return;
    case 'off':
    case 'pending':
      return;
  }
}
