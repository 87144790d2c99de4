/** `photosync user add|list|passwd|quota|delete`: account administration on the server's data dir. */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { AccountSummary } from '@photosync/server';
import { CliError, EXIT } from '../cli-error.ts';
import { Output, formatBytes } from '../output.ts';
import { loadServer, withDataDir, withDataDirOptions, type DataDirOptions } from './data-dir.ts';

/** PHOTOSYNC_PASSWORD when set, else a generated password that is printed once. */
function newPassword(): { password: string; generated: boolean } {
  const given = process.env['PHOTOSYNC_PASSWORD'];
  return given
    ? { password: given, generated: false }
    : { password: randomBytes(12).toString('base64url'), generated: true };
}

function describe(account: AccountSummary): string {
  const quota = account.quotaBytes === null ? 'unlimited' : formatBytes(account.quotaBytes);
  return `${account.id}\t${account.email}${account.isAdmin ? ' (admin)' : ''}\tlibrary ${account.libraryFiles} files ${formatBytes(account.libraryBytes)}\tvault ${formatBytes(account.vaultBytes)} / ${quota}`;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage accounts on this server (works on the data directory)');

  withDataDirOptions(user.command('add <email>'))
    .description('create an account (password from PHOTOSYNC_PASSWORD, else generated and printed once)')
    .option('--admin', 'make the account an administrator')
    .addHelpText(
      'after',
      '\nExamples:\n  PHOTOSYNC_PASSWORD=... photosync user add anna@example.com\n  photosync user add admin@example.com --admin --data-dir /var/lib/photosync',
    )
    .action(async (email: string, options: DataDirOptions & { admin?: boolean }) => {
      const { LOCAL_OPERATOR } = await loadServer();
      const output = new Output({ json: options.json === true });
      const { password, generated } = newPassword();
      const account = await withDataDir(options, (context) =>
        context.admin.createAccount(LOCAL_OPERATOR, { email, password, admin: options.admin === true }),
      );
      output.result({ ...account, ...(generated ? { password } : {}) }, () =>
        [
          `Created ${account.email}${account.isAdmin ? ' (administrator)' : ''}.`,
          generated ? `Password (shown once): ${password}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });

  withDataDirOptions(user.command('list'))
    .description('list accounts with their usage and quota')
    .addHelpText('after', '\nExample:\n  photosync user list --json')
    .action(async (options: DataDirOptions) => {
      const { LOCAL_OPERATOR } = await loadServer();
      const accounts = await withDataDir(options, (context) => context.admin.listAccounts(LOCAL_OPERATOR));
      new Output({ json: options.json === true }).result(accounts, () =>
        accounts.length ? accounts.map(describe).join('\n') : 'No accounts yet.',
      );
    });

  withDataDirOptions(user.command('passwd <email>'))
    .description('set a new password (from PHOTOSYNC_PASSWORD, else generated); signs out every device')
    .addHelpText('after', '\nExample:\n  PHOTOSYNC_PASSWORD=new-secret photosync user passwd anna@example.com')
    .action(async (email: string, options: DataDirOptions) => {
      const { LOCAL_OPERATOR } = await loadServer();
      const { password, generated } = newPassword();
      await withDataDir(options, async (context) => {
        const account = await context.admin.findByEmail(LOCAL_OPERATOR, email);
        await context.admin.setPassword(LOCAL_OPERATOR, account.id, password);
      });
      new Output({ json: options.json === true }).result({ email, ...(generated ? { password } : {}) }, () =>
        [
          `Password changed for ${email}; its devices must sign in again.`,
          generated ? `New password (shown once): ${password}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });

  withDataDirOptions(user.command('quota <email> <size>'))
    .description('set the StealthCloud quota, e.g. 50GB or 1TiB, or "unlimited"')
    .addHelpText(
      'after',
      '\nExamples:\n  photosync user quota anna@example.com 200GB\n  photosync user quota anna@example.com unlimited',
    )
    .action(async (email: string, size: string, options: DataDirOptions) => {
      const { LOCAL_OPERATOR, parseSize } = await loadServer();
      let quotaBytes: number | null;
      try {
        quotaBytes = size.toLowerCase() === 'unlimited' ? null : parseSize(size, 'size');
      } catch (error) {
        throw new CliError((error as Error).message, EXIT.usage);
      }
      await withDataDir(options, async (context) => {
        const account = await context.admin.findByEmail(LOCAL_OPERATOR, email);
        await context.admin.setQuota(LOCAL_OPERATOR, account.id, quotaBytes);
      });
      new Output({ json: options.json === true }).result(
        { email, quotaBytes },
        () => `Quota for ${email}: ${quotaBytes === null ? 'unlimited' : formatBytes(quotaBytes)}`,
      );
    });

  withDataDirOptions(user.command('delete <email>'))
    .description('delete an account with ALL its files, vault data and sessions (needs --yes)')
    .option('--yes', 'confirm: this cannot be undone')
    .addHelpText('after', '\nExample:\n  photosync user delete old@example.com --yes')
    .action(async (email: string, options: DataDirOptions & { yes?: boolean }) => {
      const { LOCAL_OPERATOR } = await loadServer();
      if (!options.yes)
        throw new CliError(`this deletes every file of ${email}; repeat with --yes to confirm`, EXIT.usage);
      await withDataDir(options, async (context) => {
        const account = await context.admin.findByEmail(LOCAL_OPERATOR, email);
        await context.admin.deleteAccount(LOCAL_OPERATOR, account.id);
      });
      new Output({ json: options.json === true }).result(
        { email, deleted: true },
        () => `Deleted ${email} and all its data.`,
      );
    });
}
