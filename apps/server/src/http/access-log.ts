/**
 * One log line per request, written when the answer has gone out: method, URL (media tickets redacted, see
 * ./log-redaction.ts), client address, status and time taken. Fastify's own request logging writes two lines
 * (incoming, completed); on a server taking a thousand uploads a minute that was a measurable share of the
 * event loop, for no information the single line lacks.
 * Must never: log a request body, an Authorization header or a ticket's value.
 */
import type { FastifyInstance } from 'fastify';

export function registerAccessLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    done();
  });
}
