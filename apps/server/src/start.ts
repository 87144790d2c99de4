/**
 * Run the server as a process: recover, listen, log where phones should connect, and on SIGTERM/SIGINT stop
 * accepting, let in-flight requests finish (bounded by SHUTDOWN_GRACE_MS), then close the database.
 * Used by `npm start` (./main.ts) and `photosync serve`.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { ServerConfig } from './config.ts';
import { createContext, type ServerContext } from './context.ts';
import { AccountRepository } from './repositories/account-repository.ts';
import { readableLogStream, wantsReadableLog } from './logging/readable-log.ts';
import { phoneUrls } from './services/network/lan-addresses.ts';
import { recoverVaultChunks } from './services/vault/vault-recovery.ts';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly context: ServerContext;
  readonly port: number;
  /** Graceful stop; resolves once the database is closed. Safe to call twice. */
  stop(reason?: string): Promise<void>;
}

export async function startServer(
  config: ServerConfig,
  options: { handleSignals?: boolean } = {},
): Promise<RunningServer> {
  const context = await createContext(config);
  const app = await buildApp(context, {
    level: config.logLevel,
    ...(wantsReadableLog() ? { stream: readableLogStream() } : {}),
  });
  const { recovery } = context;
  const recovered =
    recovery.indexed.length + recovery.duplicatesRemoved.length + recovery.stagingRemoved + recovery.deletionsFinished;
  if (recovered > 0) app.log.warn({ recovery }, 'recovered from an interrupted run');
  for (const key of recovery.missing) app.log.error({ key }, 'indexed file is missing from disk');
  const vaultRecovery = await recoverVaultChunks({
    accounts: new AccountRepository(context.db),
    chunks: context.vault.chunkRepository,
    blobs: context.vault.blobs,
  });
  if (vaultRecovery.adopted.length + vaultRecovery.removed.length > 0) {
    app.log.warn({ vaultRecovery }, 'reconciled vault chunks left without an index row by an interrupted run');
  }
  const { resumableRecovery } = context;
  if (resumableRecovery.completed.length + resumableRecovery.discarded.length + resumableRecovery.expired > 0) {
    app.log.warn({ resumableRecovery }, 'finished or removed resumable uploads left by an earlier run');
  }

  let stopping: Promise<void> | undefined;
  const stop = (reason = 'stop'): Promise<void> => {
    stopping ??= (async () => {
      app.log.info({ reason }, 'shutting down: finishing in-flight requests');
      const force = setTimeout(() => {
        app.log.warn('grace period over: closing remaining connections');
        app.server.closeAllConnections();
      }, config.shutdownGraceMs);
      force.unref();
      // Keep-alive sockets that go idle after their last response would otherwise hold the close open.
      const reapIdle = setInterval(() => app.server.closeIdleConnections(), 100);
      await app.close();
      clearInterval(reapIdle);
      clearTimeout(force);
      await context.close();
      app.log.info('stopped');
    })();
    return stopping;
  };
  if (options.handleSignals !== false) {
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  }

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  context.updates.start(app.log);
  app.log.info({ dataDir: config.dataDir }, `PhotoSync server ready; data in ${config.dataDir}`);
  const urls = phoneUrls(config.host, port);
  app.log.info(
    { urls },
    urls.length > 0 ? `On your phone choose Local and enter: ${urls.join('  or  ')}` : 'No LAN address found',
  );
  return { app, context, port, stop };
}
