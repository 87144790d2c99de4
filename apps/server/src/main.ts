/**
 * `npm start`: configure, recover, listen; on SIGTERM/SIGINT stop accepting, let in-flight requests finish
 * (bounded by SHUTDOWN_GRACE_MS), then close the database.
 */
import { buildApp } from './app.ts';
import { loadConfig, loadDotEnv } from './config.ts';
import { createContext } from './context.ts';
import { phoneUrls } from './services/network/lan-addresses.ts';

loadDotEnv();
const config = loadConfig();
const context = await createContext(config);
const app = await buildApp(context, { level: config.logLevel });
const { recovery } = context;
if (
  recovery.indexed.length + recovery.duplicatesRemoved.length + recovery.stagingRemoved + recovery.deletionsFinished >
  0
) {
  app.log.warn({ recovery }, 'recovered from an interrupted run');
}
for (const key of recovery.missing) app.log.error({ key }, 'indexed file is missing from disk');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  const force = setTimeout(() => {
    app.log.warn('grace period over: closing remaining connections');
    app.server.closeAllConnections();
  }, config.shutdownGraceMs);
  force.unref();
  // Keep-alive sockets that go idle after their last response would otherwise hold the close open.
  const reapIdle = setInterval(() => app.server.closeIdleConnections(), 100);
  await app.close();
  clearInterval(reapIdle);
  await context.close();
  clearTimeout(force);
  app.log.info('stopped');
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ host: config.host, port: config.port });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
app.log.info({ dataDir: config.dataDir }, `PhotoSync server ready; data in ${config.dataDir}`);
const urls = phoneUrls(config.host, port);
app.log.info(
  { urls },
  urls.length > 0 ? `On your phone choose Local and enter: ${urls.join('  or  ')}` : 'No LAN address found',
);
