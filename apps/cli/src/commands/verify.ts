/** `photosync verify`: re-hash every stored file and vault chunk on the server's data dir. */
import type { Command } from 'commander';
import { CliError, EXIT } from '../cli-error.ts';
import { Output, formatBytes } from '../output.ts';
import { withDataDir, withDataDirOptions, type DataDirOptions } from './data-dir.ts';

export function registerVerifyCommand(program: Command): void {
  withDataDirOptions(program.command('verify'))
    .description('re-hash every stored file and StealthCloud chunk; report anything missing or corrupt (exit 1 if so)')
    .addHelpText('after', '\nExamples:\n  photosync verify\n  photosync verify --data-dir /var/lib/photosync --json')
    .action(async (options: DataDirOptions) => {
      const output = new Output({ json: options.json === true });
      const report = await withDataDir(options, (context) => {
        const bar = output.progress('verifying', 0);
        return context.verifyStorage().finally(() => bar.stop());
      });
      const problems = report.missing.length + report.corrupt.length;
      output.result(report, () =>
        [
          `Checked ${report.filesChecked} files and ${report.chunksChecked} chunks (${formatBytes(report.bytesChecked)}).`,
          ...report.missing.map((key) => `MISSING  ${key}`),
          ...report.corrupt.map((key) => `CORRUPT  ${key}`),
          ...report.unindexed.map((key) => `NOT INDEXED (restart the server to index it)  ${key}`),
          problems === 0 ? 'Everything verified.' : `${problems} problem(s) found.`,
        ].join('\n'),
      );
      if (problems > 0) throw new CliError(`${problems} stored item(s) missing or corrupt`, EXIT.failure);
    });
}
