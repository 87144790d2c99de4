/**
 * Request logging without secrets: media tickets travel in the query (`?ticket=`, see
 * [Note: media tickets]); the request line in the log keeps the parameter but not its value.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';

export function redactTicket(url: string): string {
  return url.replace(/([?&]ticket=)[^&#]*/g, '$1[redacted]');
}

function requestForLog(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactTicket(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** The logger options with the request serializer replaced; `false`/`true` loggers are passed through. */
export function redactingLogger(logger: FastifyServerOptions['logger']): NonNullable<FastifyServerOptions['logger']> {
  if (typeof logger !== 'object' || logger === null) return logger ?? false;
  return { ...logger, serializers: { ...logger.serializers, req: requestForLog } };
}
