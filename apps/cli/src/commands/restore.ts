/**
 * `photosync restore <dir>`: download the plain library (or what was stored in a date range) into a
 * folder. Every file is verified against its SHA-256 before it appears; files already there and identical
 * are skipped, and a different local file is never overwritten (the download becomes `name (1).ext`).
 * `--mode stealthcloud` restores the encrypted vault instead (decrypted and verified here, folders kept).
 */
import { join, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { restoreLibrary, type PhotoSyncClient, type RestoreReport } from '@photosync/client/library';
import { nodeRestoreTarget } from '@photosync/client/node';
import { CliError, EXIT } from '../cli-error.ts';
import { onInterrupt } from '../interrupt.ts';
import { formatBytes } from '../output.ts';
import { connect } from '../session/connect.ts';
import { progressDisplay } from '../sync-progress.ts';
import { parsePositiveInt } from './backup.ts';
import { resolveCommon, withConnectionOptions, type CommonOptions } from './common-options.ts';
import { openVaultFromEnv, withVaultOptions, type VaultCliOptions } from './vault-options.ts';
import type { Output } from '../output.ts';

interface RestoreOptions extends CommonOptions, VaultCliOptions {
  readonly mode: 'local' | 'remote' | 'stealthcloud';
  readonly from?: Date;
  readonly to?: Date;
  readonly concurrency: number;
}

/**
 * A date or time on the command line. A bare day (`2024-03-01`) means that local day: its start for
 * `--from`, and the start of the next day for `--to`, so `--to 2024-03-31` includes all of March 31.
 */
export function parseDateOption(value: string, edge: 'from' | 'to'): Date {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = day
    ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + (edge === 'to' ? 1 : 0))
    : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('expected a date like 2024-03-01 or an ISO time');
  return date;
}

export function registerRestoreCommand(program: Command): void {
  const command = withConnectionOptions(program.command('restore'))
    .description('download the library into a folder, verified; never overwrites a different local file')
    .argument('<dir>', 'folder to restore into (created if missing)')
    .addOption(
      new Option('--mode <mode>', 'local or remote: the plain library; stealthcloud: the encrypted vault')
        .choices(['local', 'remote', 'stealthcloud'])
        .default('local'),
    )
    .option('--from <date>', 'only files stored on or after this day/time', (v) => parseDateOption(v, 'from'))
    .option('--to <date>', 'only files stored up to and including this day (or before this time)', (v) =>
      parseDateOption(v, 'to'),
    )
    .option('--concurrency <n>', 'files downloaded at once', parsePositiveInt, 4);
  withVaultOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  PHOTOSYNC_PASSWORD=... photosync restore ~/Restored --server 192.168.1.222 --email me@example.com
  photosync restore ~/Restored --from 2024-01-01 --to 2024-01-31   # what was backed up in January
  photosync restore ~/Restored --json
  PHOTOSYNC_VAULT_PASSWORD=... photosync restore ~/Restored --mode stealthcloud

Running it again only fetches what is missing. Exit codes as for \`photosync backup\`.`,
    )
    .action(async (dir: string, options: RestoreOptions) => {
      const { stateDir, output } = resolveCommon(options);
      if (options.from && options.to && options.from >= options.to)
        throw new CliError('--from must be before --to', EXIT.usage);
      const { client, session } = await connect({ ...options, stateDir });
      const interrupt = onInterrupt();
      let report: RestoreReport;
      try {
        report = await interrupt.guard(() =>
          options.mode === 'stealthcloud'
            ? restoreVault(client, session.email, resolve(dir), options, output, interrupt.signal)
            : restorePlain(client, resolve(dir), options, output, interrupt.signal),
        );
      } finally {
        interrupt.dispose();
      }
      output.result(report, () =>
        [
          `Restored ${report.filesRestored} file(s), ${formatBytes(report.bytesWritten)} written to ${resolve(dir)}.`,
          `${report.filesSkippedIdentical} already there and identical.`,
          report.filesRenamed > 0
            ? `${report.filesRenamed} saved under a "name (n)" because a different file had the name.`
            : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
      for (const failure of report.failed) output.warn(`  not restored: ${failure.path}: ${failure.error}`);
      if (report.failed.length > 0) throw new CliError(`${report.failed.length} file(s) could not be restored`);
    });
}

async function restorePlain(
  client: PhotoSyncClient,
  dir: string,
  options: RestoreOptions,
  output: Output,
  signal: AbortSignal,
): Promise<RestoreReport> {
  const display = progressDisplay(output);
  try {
    return await restoreLibrary({
      client,
      target: nodeRestoreTarget(dir),
      concurrency: options.concurrency,
      onProgress: display.listener,
      signal,
      ...(options.from ? { from: options.from } : {}),
      ...(options.to ? { to: options.to } : {}),
    });
  } finally {
    display.stop();
  }
}

async function restoreVault(
  client: PhotoSyncClient,
  email: string,
  dir: string,
  options: RestoreOptions,
  output: Output,
  signal: AbortSignal,
): Promise<RestoreReport> {
  // Loaded on use: plain commands start without the crypto library.
  const { restoreFromVault } = await import('@photosync/client');
  const opened = await openVaultFromEnv({ client, email, output, options, createIfMissing: false });
  const display = progressDisplay(output);
  try {
    return await restoreFromVault({
      client,
      vault: opened.vault,
      target: (folder) => nodeRestoreTarget(join(dir, folder)),
      concurrency: options.concurrency,
      onProgress: display.listener,
      signal,
      ...(options.from ? { from: options.from } : {}),
      // The vault's range is inclusive; ours ends just before `to`.
      ...(options.to ? { to: new Date(options.to.getTime() - 1) } : {}),
    });
  } finally {
    display.stop();
    opened.vault.masterKey.fill(0);
  }
}
