/**
 * A persistent work queue over the `jobs` table with bounded concurrency.
 * [Note: job lifecycle] queued → running (the attempt is counted when claimed) → done | failed | queued again.
 * A transient failure is retried with back-off up to `maxAttempts`; anything else fails at once with its reason.
 * Start-up requeues jobs left running by a crash (their attempt still counts, so a file that crashes the server
 * every time is given up after `maxAttempts`); a clean stop aborts jobs in flight and gives their attempt back.
 * Enqueueing returns immediately (the upload reply never waits); `whenIdle()` lets tests and tools wait for
 * the queue deterministically. Must never run two copies of a job, or close while a job still writes.
 */
import type { Job } from '../../db/schema.ts';
import type { JobRepository } from '../../repositories/job-repository.ts';
import { toJobFailure } from './job-failure.ts';

export interface JobQueueDeps {
  readonly jobs: JobRepository;
  readonly kind: string;
  /** Do the work; resolves with an optional note for a partial success, throws to fail. */
  readonly run: (job: Job, signal: AbortSignal) => Promise<string | undefined>;
  readonly concurrency: number;
  readonly maxAttempts?: number;
  readonly backoffMs?: (attempt: number) => number;
  readonly now?: () => number;
  /** Errors of the queue itself (its database calls), not of jobs: those are recorded on the job. */
  readonly onError?: (error: unknown) => void;
  /** Awaited before claiming each job, e.g. until uploads pause (see ./foreground-activity.ts). */
  readonly waitTurn?: (signal: AbortSignal) => Promise<void>;
}

export class JobQueue {
  private state: 'new' | 'started' | 'stopped' = 'new';
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly background = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private idleWaiters: (() => void)[] = [];
  private pumping = false;
  private pumpAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private recheck = false;
  private readonly maxAttempts: number;
  private readonly now: () => number;

  constructor(private readonly deps: JobQueueDeps) {
    this.maxAttempts = deps.maxAttempts ?? 3;
    this.now = deps.now ?? Date.now;
  }

  /** Requeue what a crash left running, then start working. */
  async start(): Promise<void> {
    if (this.state !== 'new') return;
    await this.deps.jobs.requeueInterrupted();
    this.state = 'started';
    this.pump();
  }

  /** Queue work for an asset and return at once; the row is written in the background. */
  enqueue(assetId: number, accountId: number): void {
    this.track(this.deps.jobs.enqueue(this.deps.kind, assetId, accountId).then(() => this.pump()));
  }

  /** Resolves once nothing is running, queued (including jobs waiting to retry) or being enqueued. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  /** Stop claiming jobs, abort the ones in flight and wait until none is writing any more. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    clearTimeout(this.timer);
    this.abort.abort();
    while (this.pumping || this.inFlight.size > 0 || this.background.size > 0 || this.checking) {
      await Promise.allSettled([...this.inFlight.values(), ...this.background, this.checking]);
    }
    this.releaseWaiters();
  }

  private track(work: Promise<unknown>): void {
    const tracked: Promise<void> = work
      .then(() => undefined)
      .catch((error: unknown) => this.report(error))
      .finally(() => {
        this.background.delete(tracked);
        this.checkIdle();
      });
    this.background.add(tracked);
  }

  /** Claim jobs until the concurrency bound is reached or none is ready. */
  private pump(): void {
    if (this.state !== 'started') return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    this.track(
      this.fill().finally(() => {
        this.pumping = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.pump();
        }
      }),
    );
  }

  private async fill(): Promise<void> {
    while (this.state === 'started' && this.inFlight.size < this.deps.concurrency) {
      await this.deps.waitTurn?.(this.abort.signal);
      if (this.state !== 'started') return;
      const job = await this.deps.jobs.claimNext(this.now());
      if (!job) return;
      const run = this.runJob(job)
        .catch((error: unknown) => this.report(error))
        .finally(() => {
          this.inFlight.delete(job.id);
          this.pump();
          this.checkIdle();
        });
      this.inFlight.set(job.id, run);
    }
  }

  private async runJob(job: Job): Promise<void> {
    const { jobs } = this.deps;
    const signal = this.abort.signal;
    if (job.attempts > this.maxAttempts) {
      await jobs.fail(job.id, `Given up after ${this.maxAttempts} attempts that the server did not finish`);
      return;
    }
    try {
      const note = await this.deps.run(job, signal);
      await jobs.complete(job.id, note ?? null);
    } catch (error) {
      if (signal.aborted) {
        await jobs.retryLater(job.id, 0, job.reason, Math.max(0, job.attempts - 1));
        return;
      }
      const failure = toJobFailure(error);
      if (failure.transient && job.attempts < this.maxAttempts) {
        const delay = this.deps.backoffMs?.(job.attempts) ?? 5_000 * 2 ** (job.attempts - 1);
        await jobs.retryLater(job.id, this.now() + delay, failure.reason);
      } else {
        await jobs.fail(job.id, failure.reason);
      }
    }
  }

  /** When nothing runs: wake the waiters, or set a timer for the next job waiting out its back-off. */
  private checkIdle(): void {
    if (this.pumping || this.inFlight.size > 0 || this.background.size > 0) return;
    if (this.state !== 'started') {
      this.releaseWaiters();
      return;
    }
    if (this.checking) {
      this.recheck = true; // the answer in flight may predate this change
      return;
    }
    this.checking = this.deps.jobs
      .nextRunAfter()
      .then((next) => {
        if (this.state !== 'started' || this.recheck || this.pumping || this.inFlight.size > 0) return;
        if (next === undefined) {
          if (this.background.size === 0) this.releaseWaiters();
          return;
        }
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.pump(), Math.max(0, next - this.now()));
        this.timer.unref();
      })
      .catch((error: unknown) => this.report(error))
      .finally(() => {
        this.checking = undefined;
        if (this.recheck) {
          this.recheck = false;
          this.checkIdle();
        }
      });
  }

  private releaseWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private report(error: unknown): void {
    if (this.state === 'stopped') return;
    (this.deps.onError ?? ((err: unknown) => console.error('media queue:', err)))(error);
  }
}
