/**
 * `photosync backup --mode stealthcloud`: the same folders, encrypted on this machine before anything is
 * sent (packages/client/src/vault-sync); the vault is opened as vault-options.ts says. Large files' upload
 * state is journaled in the state dir, so a killed run resumes.
 */
import { join } from 'node:path';
import { backupToVault, type BackupReport } from '@photosync/client';
import { FileHashCache, nodeLocalFiles, nodeUploadJournal } from '@photosync/client/node';
import { progressDisplay } from '../sync-progress.ts';
import type { BackupRun } from './backup.ts';
import { openVaultFromEnv, type VaultCliOptions } from './vault-options.ts';

export async function backupToStealthCloud(run: BackupRun, options: VaultCliOptions): Promise<BackupReport> {
  const { email } = run.connection.session;
  const opened = await openVaultFromEnv({
    client: run.client,
    email,
    output: run.output,
    options,
    createIfMissing: true,
  });
  const display = progressDisplay(run.output);
  try {
    return await backupToVault({
      client: run.client,
      vault: opened.vault,
      files: nodeLocalFiles(),
      hashCache: await FileHashCache.open(run.stateDir),
      journal: await nodeUploadJournal(join(run.stateDir, 'vault-upload-journal.json')),
      roots: run.roots,
      concurrency: run.concurrency,
      onProgress: display.listener,
      signal: run.signal,
    });
  } finally {
    display.stop();
    opened.vault.masterKey.fill(0);
  }
}
