/**
 * Entry point of `npm run check-update` (`check`) and `npm run update` (`apply`), from the root folder or
 * apps/server; exit codes are listed in ./update-commands.ts. `self-test` is what the updater runs inside a
 * freshly installed release before switching to it: it loads the whole server and opens a SQLite database.
 */
import { parseArgs } from 'node:util';
import { loadDotEnv } from './config.ts';
import { APP_VERSION } from './services/update/app-version.ts';
import { runCheckUpdate, runUpdate, UPDATE_EXIT } from './update-commands.ts';

const USAGE = `usage: update-main.ts check | apply [--install-root DIR] [--install-command "CMD"] | self-test
  check    print the installed and latest version and the release notes (exit 0 up to date, 10 update available)
  apply    back up, download, verify, install beside, switch; never restarts the server`;

async function selfTest(): Promise<number> {
  await import('./index.ts');
  const { default: Database } = await import('better-sqlite3');
  new Database(':memory:').close();
  process.stdout.write(`photosync ${APP_VERSION} ok\n`);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { 'install-root': { type: 'string' }, 'install-command': { type: 'string' } },
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return UPDATE_EXIT.usage;
  }
  const { positionals, values } = parsed;
  loadDotEnv();
  switch (positionals[0]) {
    case 'check':
      return runCheckUpdate();
    case 'apply':
      return runUpdate({
        ...(values['install-root'] ? { installRoot: values['install-root'] } : {}),
        ...(values['install-command'] ? { installCommand: values['install-command'] } : {}),
      });
    case 'self-test':
      return selfTest();
    case undefined:
    default:
      process.stderr.write(`${USAGE}\n`);
      return UPDATE_EXIT.usage;
  }
}

process.exitCode = await main(process.argv.slice(2));
