/** `photosync login` / `logout` / `status`: manage and show the saved session. */
import type { Command } from 'commander';
import { clearSession, loadSession } from '../session/session-store.ts';
import { connect, passwordFromEnv, signIn } from '../session/connect.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { formatBytes } from '../output.ts';
import { resolveCommon, withConnectionOptions, type CommonOptions } from './common-options.ts';

export function registerSessionCommands(program: Command): void {
  withConnectionOptions(program.command('login'))
    .description('sign in to a server and remember the session (mode 0600 in the state dir)')
    .addHelpText(
      'after',
      '\nExample:\n  PHOTOSYNC_PASSWORD=... photosync login --server 192.168.1.222 --email me@example.com',
    )
    .action(async (options: CommonOptions) => {
      const { stateDir, output } = resolveCommon(options);
      if (!options.server || !options.email) throw new CliError('login needs --server and --email', EXIT.usage);
      const { session } = await signIn({
        server: options.server,
        email: options.email,
        password: passwordFromEnv(),
        stateDir,
      });
      output.result(
        { server: session.server, email: session.email, userId: session.userId },
        () => `Signed in to ${session.server} as ${session.email}`,
      );
    });

  program
    .command('logout')
    .description('forget the saved session')
    .option('--state-dir <dir>', 'state directory')
    .action(async (options: { stateDir?: string }) => {
      const { stateDir, output } = resolveCommon(options);
      await clearSession(stateDir);
      output.info('Signed out.');
    });

  withConnectionOptions(program.command('status'))
    .description('show the server, the account and what the library holds')
    .addHelpText('after', '\nExample:\n  photosync status --json')
    .action(async (options: CommonOptions) => {
      const { stateDir, output } = resolveCommon(options);
      if (!options.server && !(await loadSession(stateDir))) {
        output.result(
          { signedIn: false },
          () => 'Not signed in. Run `photosync login --server ADDRESS --email ADDRESS`.',
        );
        return;
      }
      const { client, session } = await connect({ ...options, stateDir });
      const [stats, usage] = await Promise.all([client.libraryStats(), client.vault.usage().catch(() => undefined)]);
      const result = {
        signedIn: true,
        server: session.server,
        email: session.email,
        library: stats,
        stealthCloud: usage ?? null,
      };
      output.result(result, () =>
        [
          `Server:  ${session.server}`,
          `Account: ${session.email}`,
          `Library: ${stats.count} files, ${formatBytes(stats.bytes)}`,
          usage
            ? `StealthCloud: ${formatBytes(usage.usedBytes)} used${usage.unlimited ? '' : ` of ${formatBytes(usage.quotaBytes)}`}`
            : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });
}
