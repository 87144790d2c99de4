/**
 * Cuts a request whose body trickles in (slow-loris on the body, "R.U.D.Y."). Node has no minimum data rate,
 * and a multi-hour video upload rules out a total request timeout; the idle timeout alone lets a client hold a
 * connection for ever by sending one byte a minute. So a request whose body is still arriving must deliver at
 * least `minBytes` in every `windowMs` that the server spent waiting for it ([Note: waiting time]).
 * Headers that trickle in are Node's `headersTimeout` (set in ../app.ts).
 * Must never: cut a client that the server is making wait (a busy disk, a busy CPU), or a request without a
 * body. Cutting a good upload loses the photo it carries.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface SlowBodyLimits {
  /** Length of each measuring window, in time the server spent waiting for the client. */
  readonly windowMs: number;
  /** Bytes a request body must deliver per window (64 KiB per minute ≈ 1 KiB/s, far below any real phone). */
  readonly minBytes: number;
}

export const SLOW_BODY_LIMITS: SlowBodyLimits = { windowMs: 60_000, minBytes: 64 * 1024 };
const CHECK_EVERY_MS = 5_000;

/**
 * [Note: waiting time]
 * Only time in which the server was ready for bytes that did not come is the client's: the window is a sum
 * of waiting time, not wall time.
 * - While the request holds unread bytes the server is behind (backpressure from a busy disk): not counted.
 * - A check that comes late means the event loop was stalled (a busy CPU, a long GC) and read nothing, even
 *   if the client's bytes sat in the socket: each check counts at most one check interval.
 * - A check samples after the event loop's I/O phase (setImmediate), so bytes already waiting in the socket
 *   are read before they are judged.
 * Times come from a monotonic clock (performance.now), so setting the system clock changes nothing.
 */
export class BodyPace {
  private waitedMs = 0;
  private windowStartBytes: number;
  private lastCheckAt: number;

  constructor(
    private readonly limits: SlowBodyLimits,
    private readonly checkEveryMs: number,
    start: { readonly at: number; readonly bytesRead: number },
  ) {
    this.windowStartBytes = start.bytesRead;
    this.lastCheckAt = start.at;
  }

  /** One check; `tooSlow` once a full window of waiting brought fewer than `minBytes`. */
  check(sample: { readonly at: number; readonly bytesRead: number; readonly serverIsBehind: boolean }): {
    readonly tooSlow: boolean;
    readonly delivered: number;
  } {
    const elapsed = Math.min(Math.max(sample.at - this.lastCheckAt, 0), this.checkEveryMs);
    this.lastCheckAt = sample.at;
    const delivered = sample.bytesRead - this.windowStartBytes;
    if (!sample.serverIsBehind) this.waitedMs += elapsed;
    if (this.waitedMs < this.limits.windowMs) return { tooSlow: false, delivered };
    if (delivered < this.limits.minBytes) return { tooSlow: true, delivered };
    this.waitedMs = 0;
    this.windowStartBytes = sample.bytesRead;
    return { tooSlow: false, delivered };
  }
}

function hasBody(request: FastifyRequest): boolean {
  const length = Number(request.headers['content-length'] ?? 0);
  return length > 0 || request.headers['transfer-encoding'] !== undefined;
}

export function registerSlowBodyGuard(app: FastifyInstance, limits: SlowBodyLimits = SLOW_BODY_LIMITS): void {
  const checkEveryMs = Math.min(CHECK_EVERY_MS, limits.windowMs / 4);
  app.addHook('onRequest', async (request) => {
    if (!hasBody(request)) return;
    const raw = request.raw;
    const socket = raw.socket;
    const pace = new BodyPace(limits, checkEveryMs, { at: performance.now(), bytesRead: socket.bytesRead });
    const check = (): void => {
      if (raw.complete || socket.destroyed) return clearInterval(timer);
      const { tooSlow, delivered } = pace.check({
        at: performance.now(),
        bytesRead: socket.bytesRead,
        // Bytes waiting in the request's buffer: the server is behind, not the client. (isPaused() says
        // nothing here: a body read through its async iterator is always in paused mode.)
        serverIsBehind: raw.readableLength > 0,
      });
      if (!tooSlow) return;
      request.log.info({ delivered, windowMs: limits.windowMs }, 'request body too slow: connection cut');
      clearInterval(timer);
      socket.destroy();
    };
    const timer = setInterval(() => setImmediate(check), checkEveryMs);
    timer.unref();
    raw.once('close', () => clearInterval(timer));
  });
}
