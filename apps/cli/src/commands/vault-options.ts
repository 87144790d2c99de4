/**
 * What `backup` and `restore` share for `--mode stealthcloud`: the `--vault-format` option and opening the
 * vault with the password from the environment — PHOTOSYNC_VAULT_PASSWORD for v2 (never argv, never the
 * login password), the account password for v1 (what existing phones derive the key from). A backup creates
 * a missing v2 vault and prints its recovery words once; a restore never creates one.
 */
import { Option, type Command } from 'commander';
import type { OpenedVault, PhotoSyncClient, VaultFormat } from '@photosync/client';
import { CliError, EXIT } from '../cli-error.ts';
import type { Output } from '../output.ts';
import { passwordFromEnv } from '../session/connect.ts';

export interface VaultCliOptions {
  readonly vaultFormat?: VaultFormat;
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

export async function openVaultFromEnv(input: {
  client: PhotoSyncClient;
  email: string;
  output: Output;
  options: VaultCliOptions;
  createIfMissing: boolean;
}): Promise<OpenedVault> {
  const format = input.options.vaultFormat ?? 'v2';
  const loginPassword = process.env['PHOTOSYNC_PASSWORD'];
  const password = format === 'v1' ? passwordFromEnv() : process.env['PHOTOSYNC_VAULT_PASSWORD'];
  if (!password)
    throw new CliError('set PHOTOSYNC_VAULT_PASSWORD to the StealthCloud vault password (v2 vaults)', EXIT.usage);
  // Loaded on use: plain commands start without the crypto library.
  const { openVault } = await import('@photosync/client');
  const opened = await openVault({
    client: input.client,
    format,
    password,
    email: input.email,
    createIfMissing: input.createIfMissing,
    ...(loginPassword && format === 'v2' ? { loginPassword } : {}),
  });
  if (opened.recoveryWords) {
    input.output.warn(
      `Created your StealthCloud vault. Write these ${opened.recoveryWords.length} recovery words down now; ` +
        `they are shown only once and are the only way back in without the vault password:\n\n  ` +
        `${opened.recoveryWords.join(' ')}\n`,
    );
  }
  return opened;
}
