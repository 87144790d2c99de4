/** Builds the Fastify application from a ServerContext: plugins, the error mapper and every route. */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cors from '@fastify/cors';
import type { ServerContext } from './context.ts';
import { registerAuthDecorator } from './http/authenticate.ts';
import { OneLineAccessLog } from './http/access-log.ts';
import { answerClientError, registerErrorHandling } from './http/error-handler.ts';
import { redactingLogger } from './http/log-redaction.ts';
import { registerSlowBodyGuard } from './http/slow-body-guard.ts';
import { accountSettingsRoutes } from './http/routes/account-settings.ts';
import { pairingRoutes } from './http/routes/pairing.ts';
import { serverOverviewRoutes } from './http/routes/server-overview.ts';
import { webAppRoutes } from './http/routes/web-app.ts';
import { accountRoutes } from './http/routes/accounts.ts';
import { adminRoutes } from './http/routes/admin.ts';
import { libraryRoutes } from './http/routes/library.ts';
import { libraryV2Routes } from './http/routes/library-v2.ts';
import { mediaRoutes } from './http/routes/media.ts';
import { RESUMABLE_RESULT_HEADERS, resumableUploadRoutes } from './http/routes/resumable-uploads.ts';
import { serverInfoRoutes } from './http/routes/server-info.ts';
import { serverStatusRoutes } from './http/routes/server-status.ts';
import { uploadRoutes } from './http/routes/uploads.ts';
import { vaultAccountRoutes } from './http/routes/vault-account.ts';
import { vaultChunkRoutes } from './http/routes/vault-chunks.ts';
import { vaultManifestRoutes } from './http/routes/vault-manifests.ts';

/** TRUST_PROXY=<n>: trust the n nearest proxies (X-Forwarded-For hops). */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

export async function buildApp(
  context: ServerContext,
  logger: FastifyServerOptions['logger'] = false,
): Promise<FastifyInstance> {
  const { config, accounts, library, resumable, vault, admin } = context;
  const app = Fastify({
    logger: redactingLogger(logger),
    logController: new OneLineAccessLog(),
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Large uploads over slow Wi-Fi may take hours: no total request timeout, but idle sockets are cut, headers
    // must arrive within 30 s (checked every 5 s) and a body must keep moving (./http/slow-body-guard.ts).
    requestTimeout: 0,
    connectionTimeout: 120_000,
    http: { headersTimeout: 30_000, connectionsCheckingInterval: 5_000 },
    keepAliveTimeout: 72_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 2048 },
    clientErrorHandler: answerClientError,
  });
  registerErrorHandling(app);
  registerSlowBodyGuard(app);
  registerAuthDecorator(app);
  if (config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...config.corsOrigins],
      // PATCH and DELETE too: tus uploads and file deletion from a browser (the plugin allows GET, HEAD, POST only).
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: ['content-range', 'etag', 'content-disposition', ...RESUMABLE_RESULT_HEADERS],
    });
  }
  serverInfoRoutes(app);
  accountRoutes(app, accounts);
  libraryRoutes(app, { accounts, library });
  libraryV2Routes(app, { accounts, library });
  mediaRoutes(app, { accounts, media: context.media.service });
  await uploadRoutes(app, { accounts, library, maxUploadBytes: config.maxUploadBytes });
  await resumableUploadRoutes(app, {
    accounts,
    resumable,
    maxUploadBytes: config.maxUploadBytes,
    corsOrigins: config.corsOrigins,
  });
  const stopExpiry = resumable.startExpiry((error) => app.log.error({ err: error }, 'removing idle uploads failed'));
  app.addHook('onClose', async () => stopExpiry());
  await vaultChunkRoutes(app, { accounts, chunks: vault.chunks });
  vaultManifestRoutes(app, { accounts, manifests: vault.manifests });
  vaultAccountRoutes(app, {
    accounts,
    vaultAccount: vault.account,
    chunks: vault.chunkRepository,
    collector: vault.collector,
    blobs: vault.blobs,
  });
  adminRoutes(app, { accounts, admin });
  serverStatusRoutes(app, { accounts, status: context.status });
  accountSettingsRoutes(app, { accounts, devices: context.devices, passwords: context.passwords });
  pairingRoutes(app, { accounts, pairing: context.pairing, host: config.host });
  serverOverviewRoutes(app, { accounts, ...context.overview });
  await webAppRoutes(app, { webDir: config.webDir });
  return app;
}
