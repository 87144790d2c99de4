/** `photosync serve`: run the server in the foreground (same as `npm start`), with flags for the basics. */
import type { Command } from 'commander';

interface ServeOptions {
  readonly port?: string;
  readonly host?: string;
  readonly dataDir?: string;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the PhotoSync server in the foreground (configuration from the environment and .env)')
    .option('--port <port>', 'TCP port (default 3000, or PORT)')
    .option('--host <address>', 'address to listen on (default 0.0.0.0, or HOST)')
    .option('--data-dir <dir>', 'data directory (default ./data, or PHOTOSYNC_DATA_DIR)')
    .addHelpText('after', '\nExamples:\n  photosync serve\n  photosync serve --port 8080 --data-dir /srv/photos')
    .action(async (options: ServeOptions) => {
      // Loaded on use: every other command starts faster without the server's code.
      const { loadConfig, loadDotEnv, startServer } = await import('@photosync/server');
      loadDotEnv();
      const env = { ...process.env };
      if (options.port) env['PORT'] = options.port;
      if (options.host) env['HOST'] = options.host;
      if (options.dataDir) env['PHOTOSYNC_DATA_DIR'] = options.dataDir;
      const running = await startServer(loadConfig(env));
      await new Promise<void>((resolve) => running.app.server.once('close', () => resolve()));
    });
}
