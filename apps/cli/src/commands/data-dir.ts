/**
 * Administration commands work directly on a server's data directory (they need no running server and no
 * account). Start-up recovery is not run, so they are safe next to a running server.
 */
import { Option, type Command } from 'commander';
import type * as ServerModuleNamespace from '@photosync/server';
import type { ServerContext } from '@photosync/server';

type ServerModule = typeof ServerModuleNamespace;

export interface DataDirOptions {
  readonly dataDir?: string;
  readonly json?: boolean;
}

export function withDataDirOptions(command: Command): Command {
  return command
    .addOption(new Option('--data-dir <dir>', 'server data directory (default PHOTOSYNC_DATA_DIR or ./data)'))
    .addOption(new Option('--json', 'print the result as JSON for scripts'));
}

/** Open the data dir, run `work`, always close the database. */
export async function withDataDir<T>(
  options: DataDirOptions,
  work: (context: ServerContext) => Promise<T>,
): Promise<T> {
  const { createContext, loadConfig, loadDotEnv } = await loadServer();
  loadDotEnv();
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  if (options.dataDir) env['PHOTOSYNC_DATA_DIR'] = options.dataDir;
  const context = await createContext(loadConfig(env), { recover: false });
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}

/** The server package, loaded only by the commands that need it (keeps client commands quick to start). */
export function loadServer(): Promise<ServerModule> {
  return import('@photosync/server');
}
