/**
 * `photosync backup --mode stealthcloud`: encrypted backup through packages/client/src/vault-sync. Until
 * that engine lands, the mode is refused with a clear message instead of silently backing up in plain.
 */
import { Option, type Command } from 'commander';
import type { BackupReport } from '@photosync/client';
import { CliError, EXIT } from '../cli-error.ts';
import type { BackupRun } from './backup.ts';

export interface VaultCliOptions {
  readonly vaultFormat?: 'v1' | 'v2';
}

export function withVaultOptions(command: Command): Command {
  return command.addOption(
    new Option(
      '--vault-format <format>',
      'StealthCloud format: v2 (vault password) or v1 (as phones, account password)',
    )
      .choices(['v1', 'v2'])
      .default('v2'),
  );
}

export function backupToStealthCloud(_run: BackupRun, _options: VaultCliOptions): Promise<BackupReport> {
  return Promise.reject(
    new CliError('--mode stealthcloud is not available yet in this version; use --mode local or remote', EXIT.usage),
  );
}
