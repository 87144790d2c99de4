/** Unauthenticated server routes: health, the compatibility `GET /` answer, the OpenAPI document. */
import type { FastifyInstance } from 'fastify';
import { openApiJson } from '@photosync/protocol';

export function serverInfoRoutes(app: FastifyInstance): void {
  app.get('/health', async () => ({ ok: true }));
  app.get('/', async (_request, reply) => reply.status(403).type('text/plain; charset=utf-8').send('Forbidden'));
  let document: Promise<string> | undefined;
  app.get('/api/docs/openapi.json', async (_request, reply) => {
    document ??= openApiJson();
    return reply.type('application/json; charset=utf-8').send(await document);
  });
}
