/**
 * `photosync backup <dir...>`: back up folders to the plain library (`--mode local|remote`, the same
 * protocol on a LAN or over HTTPS) or encrypted to StealthCloud (`--mode stealthcloud`). Only new content is
 * sent; the hash cache and resumable-upload state live in the state dir and are saved on every way out, so
 * a failed, interrupted or killed run never breaks the next one. `--watch` backs up again after changes.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { backupFolders, type BackupReport, type PhotoSyncClient } from '@photosync/client/library';
import { FileHashCache, FileResumeStore, nodeLocalFiles } from '@photosync/client/node';
import { CliError, describeError, EXIT, exitCodeOf } from '../cli-error.ts';
import { onInterrupt } from '../interrupt.ts';
import { formatBytes, type Output } from '../output.ts';
import { connect, type Connection } from '../session/connect.ts';
import { progressDisplay } from '../sync-progress.ts';
import { ChangeFeed } from '../watch.ts';
import { resolveCommon, withConnectionOptions, type CommonOptions } from './common-options.ts';
import { withVaultOptions, type VaultCliOptions } from './vault-options.ts';

type Mode = 'local' | 'remote' | 'stealthcloud';

interface BackupOptions extends CommonOptions, VaultCliOptions {
  readonly mode: Mode;
  readonly watch?: boolean;
  readonly concurrency: number;
}

export interface BackupRun {
  readonly client: PhotoSyncClient;
  readonly connection: Connection;
  readonly roots: readonly string[];
  readonly stateDir: string;
  readonly concurrency: number;
  readonly output: Output;
  readonly signal: AbortSignal;
}

export function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 64) throw new InvalidArgumentError('expected 1 to 64');
  return number;
}

export function registerBackupCommand(program: Command): void {
  const command = withConnectionOptions(program.command('backup'))
    .description('back up photos and videos in folders: only what the server does not have yet is sent')
    .argument('<dir...>', 'folders (or single files) to back up')
    .addOption(
      new Option('--mode <mode>', 'local or remote: the plain library; stealthcloud: end-to-end encrypted')
        .choices(['local', 'remote', 'stealthcloud'])
        .default('local'),
    )
    .option('--watch', 'keep running and back up again whenever files change (Ctrl-C to stop)')
    .option('--concurrency <n>', 'files hashed and uploaded at once', parsePositiveInt, 4);
  withVaultOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  PHOTOSYNC_PASSWORD=... photosync backup ~/Pictures --server 192.168.1.222 --email me@example.com
  photosync backup ~/Pictures ~/Videos                 # with the session saved by \`photosync login\`
  photosync backup ~/Pictures --watch                  # back up new photos as they arrive
  photosync backup ~/Pictures --json | jq .bytesSent   # for scripts
  PHOTOSYNC_VAULT_PASSWORD=... photosync backup ~/Pictures --mode stealthcloud

Exit codes: 0 all backed up, 1 some files failed (listed on stderr), 2 usage, 3 server unreachable,
4 not signed in / session expired, 5 server storage or quota full, 130 interrupted.`,
    )
    .action(async (dirs: string[], options: BackupOptions) => {
      const { stateDir, output } = resolveCommon(options);
      const roots = await existingRoots(dirs);
      const connection = await connect({ ...options, stateDir });
      const interrupt = onInterrupt();
      const run = { client: connection.client, connection, roots, stateDir, output, signal: interrupt.signal };
      const once = (): Promise<BackupReport> =>
        interrupt.guard(() =>
          options.mode === 'stealthcloud'
            ? import('./backup-stealthcloud.ts').then(({ backupToStealthCloud }) =>
                backupToStealthCloud({ ...run, concurrency: options.concurrency }, options),
              )
            : backupPlain({ ...run, concurrency: options.concurrency }),
        );
      try {
        if (!options.watch) return finish(output, await once());
        await watchAndBackUp(roots, once, output, interrupt.signal);
      } finally {
        interrupt.dispose();
      }
    });
}

async function backupPlain(run: BackupRun): Promise<BackupReport> {
  const display = progressDisplay(run.output);
  const hashCache = await FileHashCache.open(run.stateDir);
  try {
    return await backupFolders({
      client: run.client,
      // Files unchanged since the last run are not opened to sniff their type again.
      files: nodeLocalFiles({ knownMediaType: (file) => hashCache.knownMediaType(file) }),
      hashCache,
      resumeStore: await FileResumeStore.open(run.stateDir),
      roots: run.roots,
      concurrency: run.concurrency,
      onProgress: display.listener,
      signal: run.signal,
    });
  } finally {
    display.stop();
  }
}

/** Print the report; failed files go to stderr and make the exit code 1. */
function finish(output: Output, report: BackupReport): void {
  output.result(report, () => summary(report));
  for (const failure of report.failed) output.warn(`  not backed up: ${failure.path}: ${failure.error}`);
  if (report.failed.length > 0)
    throw new CliError(`${report.failed.length} file(s) could not be backed up (listed above)`, EXIT.failure);
}

export function summary(report: BackupReport): string {
  const lines = [
    `Backed up ${report.filesUploaded} new file(s), ${formatBytes(report.bytesSent)} sent; ` +
      `${report.filesAlreadyStored} already on the server.`,
    `Scanned ${report.filesScanned} photos and videos (${report.filesHashedFromCache} unchanged since the last run).`,
  ];
  if (report.failed.length > 0) lines.push(`${report.failed.length} file(s) failed.`);
  return lines.join('\n');
}

async function watchAndBackUp(
  roots: readonly string[],
  once: () => Promise<BackupReport>,
  output: Output,
  signal: AbortSignal,
): Promise<void> {
  const folders: string[] = [];
  for (const root of roots) if ((await stat(root)).isDirectory()) folders.push(root);
  const feed = new ChangeFeed(folders);
  try {
    do {
      try {
        finish(output, await once());
      } catch (error) {
        // Keep watching through a failed file or an unreachable server; a refused session needs a person.
        if (signal.aborted || exitCodeOf(error) === EXIT.auth) throw error;
        output.warn(`photosync: ${describeError(error)}`);
      }
      output.info('Watching for changes (Ctrl-C to stop)…');
    } while (await feed.next(signal));
  } finally {
    feed.close();
  }
}

async function existingRoots(dirs: readonly string[]): Promise<string[]> {
  const roots: string[] = [];
  for (const dir of dirs) {
    const path = resolve(dir);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new CliError(`no such folder: ${dir}`, EXIT.usage);
    roots.push(path);
  }
  return roots;
}
