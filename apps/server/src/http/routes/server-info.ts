/** Unauthenticated server routes: health and the OpenAPI document (`GET /` is the web app: web-app.ts). */
import type { FastifyInstance } from 'fastify';
import { openApiJson } from '@photosync/protocol';

export function serverInfoRoutes(app: FastifyInstance): void {
  app.get('/health', async () => ({ ok: true }));
  let document: Promise<string> | undefined;
  app.get('/api/docs/openapi.json', async (_request, reply) => {
    document ??= openApiJson();
    return reply.type('application/json; charset=utf-8').send(await document);
  });
}
