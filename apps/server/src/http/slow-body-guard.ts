/**
 * Cuts a request whose body trickles in (slow-loris on the body, "R.U.D.Y."). Node has no minimum data rate,
 * and a multi-hour video upload rules out a total request timeout; the idle timeout alone lets a client hold a
 * connection for ever by sending one byte a minute. So a request whose body is still arriving must deliver at
 * least `minBytes` in every `windowMs` — unless the server itself is the one not reading (backpressure: bytes
 * wait in the request's buffer), which is not the client's fault.
 * Headers that trickle in are Node's `headersTimeout` (set in ../app.ts).
 * Must never: cut a client that the server is making wait, or a request without a body.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface SlowBodyLimits {
  /** Length of each measuring window. */
  readonly windowMs: number;
  /** Bytes a request body must deliver per window (64 KiB per minute ≈ 1 KiB/s, far below any real phone). */
  readonly minBytes: number;
}

export const SLOW_BODY_LIMITS: SlowBodyLimits = { windowMs: 60_000, minBytes: 64 * 1024 };
const CHECK_EVERY_MS = 5_000;

function hasBody(request: FastifyRequest): boolean {
  const length = Number(request.headers['content-length'] ?? 0);
  return length > 0 || request.headers['transfer-encoding'] !== undefined;
}

export function registerSlowBodyGuard(app: FastifyInstance, limits: SlowBodyLimits = SLOW_BODY_LIMITS): void {
  app.addHook('onRequest', async (request) => {
    if (!hasBody(request)) return;
    const raw = request.raw;
    const socket = raw.socket;
    let window = { startedAt: Date.now(), bytesRead: socket.bytesRead };
    const check = (): void => {
      if (raw.complete || socket.destroyed) return clearInterval(timer);
      const now = Date.now();
      if (now - window.startedAt < limits.windowMs) return;
      const delivered = socket.bytesRead - window.bytesRead;
      // Bytes waiting in the request's buffer: the server is behind (busy disk), not the client. (isPaused()
      // says nothing here: a body read through its async iterator is always in paused mode.)
      const serverIsBehind = raw.readableLength > 0;
      if (delivered < limits.minBytes && !serverIsBehind) {
        request.log.info({ delivered, windowMs: limits.windowMs }, 'request body too slow: connection cut');
        clearInterval(timer);
        socket.destroy();
        return;
      }
      window = { startedAt: now, bytesRead: socket.bytesRead };
    };
    const timer = setInterval(check, Math.min(CHECK_EVERY_MS, limits.windowMs / 4));
    timer.unref();
    raw.once('close', () => clearInterval(timer));
  });
}
