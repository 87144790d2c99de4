/**
 * `photosync check-update` and `photosync update`: the same commands as `npm run check-update` and
 * `npm run update` (apps/server/src/update-commands.ts), with the same exit codes: check-update 0 up to
 * date, 10 update available, 1 check failed; update 0 done, 1 failed and rolled back, 2 not an installed copy.
 */
import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { loadServer } from './data-dir.ts';

interface UpdateOptions {
  readonly installCommand?: string;
}

export function registerUpdateCommands(program: Command): void {
  program
    .command('check-update')
    .description('print the installed and the latest version with its release notes (exit 10 if an update exists)')
    .addHelpText('after', '\nThe release feed is PHOTOSYNC_UPDATE_URL (default: the project releases).')
    .action(async () => {
      const { loadDotEnv, runCheckUpdate } = await loadServer();
      loadDotEnv();
      const code = await runCheckUpdate();
      if (code === 10) throw new CliError('an update is available (run `photosync update`)', code);
      if (code !== 0) throw new CliError('the update check failed', code);
    });

  program
    .command('update')
    .description('install the latest release beside this one (verified, with a backup); never restarts the server')
    .option('--install-command <command>', 'instead of `npm ci --omit=dev` (for an offline mirror)')
    .addHelpText(
      'after',
      '\nExamples:\n  photosync update\n  sudo systemctl restart photosync   # afterwards, when it suits you',
    )
    .action(async (options: UpdateOptions) => {
      const { loadDotEnv, runUpdate } = await loadServer();
      loadDotEnv();
      const code = await runUpdate(options.installCommand ? { installCommand: options.installCommand } : {});
      if (code !== 0) throw new CliError('the update did not happen; the installed version is unchanged', code);
    });
}
