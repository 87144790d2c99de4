/**
 * `photosync restore <dir>`: download the plain library (or what was stored in a date range) into a
 * folder. Every file is verified against its SHA-256 before it appears; files already there and identical
 * are skipped, and a different local file is never overwritten (the download becomes `name (1).ext`).
 */
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { restoreLibrary, type RestoreReport } from '@photosync/client';
import { nodeRestoreTarget } from '@photosync/client/node';
import { CliError, EXIT } from '../cli-error.ts';
import { onInterrupt } from '../interrupt.ts';
import { formatBytes } from '../output.ts';
import { connect } from '../session/connect.ts';
import { progressDisplay } from '../sync-progress.ts';
import { parsePositiveInt } from './backup.ts';
import { resolveCommon, withConnectionOptions, type CommonOptions } from './common-options.ts';

interface RestoreOptions extends CommonOptions {
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
  withConnectionOptions(program.command('restore'))
    .description('download the library into a folder, verified; never overwrites a different local file')
    .argument('<dir>', 'folder to restore into (created if missing)')
    .option('--from <date>', 'only files stored on or after this day/time', (v) => parseDateOption(v, 'from'))
    .option('--to <date>', 'only files stored up to and including this day (or before this time)', (v) =>
      parseDateOption(v, 'to'),
    )
    .option('--concurrency <n>', 'files downloaded at once', parsePositiveInt, 4)
    .addHelpText(
      'after',
      `
Examples:
  PHOTOSYNC_PASSWORD=... photosync restore ~/Restored --server 192.168.1.222 --email me@example.com
  photosync restore ~/Restored --from 2024-01-01 --to 2024-01-31   # what was backed up in January
  photosync restore ~/Restored --json

Running it again only fetches what is missing. Exit codes as for \`photosync backup\`.`,
    )
    .action(async (dir: string, options: RestoreOptions) => {
      const { stateDir, output } = resolveCommon(options);
      if (options.from && options.to && options.from >= options.to)
        throw new CliError('--from must be before --to', EXIT.usage);
      const { client } = await connect({ ...options, stateDir });
      const interrupt = onInterrupt();
      const display = progressDisplay(output);
      let report: RestoreReport;
      try {
        report = await interrupt.guard(() =>
          restoreLibrary({
            client,
            target: nodeRestoreTarget(resolve(dir)),
            concurrency: options.concurrency,
            onProgress: display.listener,
            signal: interrupt.signal,
            ...(options.from ? { from: options.from } : {}),
            ...(options.to ? { to: options.to } : {}),
          }),
        );
      } finally {
        display.stop();
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
