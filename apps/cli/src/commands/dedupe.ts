/**
 * `photosync dedupe <dir>`: find photos and videos with identical content in a folder and keep the oldest
 * copy of each. A dry run by default; `--apply` moves the other copies into a recoverable trash folder
 * (`<dir>/.photosync-trash/<time>/...` unless `--trash` says otherwise). Needs no server.
 */
import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { dedupeFolder, FileHashCache } from '@photosync/client/node';
import { CliError, EXIT } from '../cli-error.ts';
import { formatBytes, Output } from '../output.ts';
import { stateDirOf } from '../session/state-dir.ts';

interface DedupeOptions {
  readonly apply?: boolean;
  readonly trash?: string;
  readonly stateDir?: string;
  readonly json?: boolean;
}

export function registerDedupeCommand(program: Command): void {
  program
    .command('dedupe')
    .description('find duplicate photos/videos by content and keep the oldest copy (dry run unless --apply)')
    .argument('<dir>', 'folder to clean')
    .option('--apply', 'move the duplicates to the trash folder (default: only show what would move)')
    .option('--trash <dir>', 'trash folder (default <dir>/.photosync-trash); each run adds a dated folder')
    .addOption(new Option('--state-dir <dir>', 'where the hash cache lives (default ~/.config/photosync)'))
    .addOption(new Option('--json', 'print the result as JSON for scripts'))
    .addHelpText(
      'after',
      `
Copies are compared by SHA-256 of their bytes, never by name or date. The copy kept is the oldest
(EXIF capture time, else modification time; then the shortest path). Nothing else is touched, and moved
files keep their relative path inside the trash, so they are easy to put back.

Examples:
  photosync dedupe ~/Pictures                      # show duplicate groups and the space they take
  photosync dedupe ~/Pictures --apply              # move duplicates to ~/Pictures/.photosync-trash/<time>/
  photosync dedupe ~/Pictures --apply --trash /mnt/usb/trash --json`,
    )
    .action(async (dir: string, options: DedupeOptions) => {
      const output = new Output({ json: options.json === true });
      const folder = resolve(dir);
      if (!(await stat(folder).catch(() => undefined))?.isDirectory())
        throw new CliError(`no such folder: ${dir}`, EXIT.usage);
      const report = await dedupeFolder({
        dir: folder,
        apply: options.apply === true,
        hashCache: await FileHashCache.open(stateDirOf(options.stateDir)),
        ...(options.trash ? { trashDir: options.trash } : {}),
      });
      output.result(report, () => {
        const lines = report.groups.flatMap((group) => [
          `keep ${group.keep}`,
          ...group.duplicates.map((path) => `  ${report.applied ? 'moved' : 'would move'} ${path}`),
        ]);
        const copies = report.groups.reduce((sum, group) => sum + group.duplicates.length, 0);
        lines.push(
          report.groups.length === 0
            ? `No duplicates among ${report.filesScanned} photos and videos.`
            : report.applied
              ? `Moved ${report.moved} duplicate(s), ${formatBytes(report.bytesFreed)}, to ${report.trashDir ?? ''}.`
              : `${copies} duplicate(s) in ${report.groups.length} group(s) would free ${formatBytes(report.bytesFreed)}. ` +
                'Run again with --apply to move them to the trash.',
        );
        return lines.join('\n');
      });
      for (const failure of report.failed) output.warn(`  skipped: ${failure.path}: ${failure.error}`);
      if (report.failed.length > 0) throw new CliError(`${report.failed.length} file(s) could not be processed`);
    });
}
