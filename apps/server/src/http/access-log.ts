/**
 * One log line per request, written when the answer has gone out: method, URL (media tickets redacted, see
 * ./log-redaction.ts), client address, status and time taken. Fastify's own request logging writes two lines
 * (incoming, completed); on a server taking a thousand uploads a minute that was a measurable share of the
 * event loop, for no information the single line lacks. Errors are still logged as Fastify does.
 * Must never: log a request body, an Authorization header or a ticket's value.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

export class OneLineAccessLog extends LogController {
  override incomingRequest(): void {
    // Folded into the line written on completion.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}
