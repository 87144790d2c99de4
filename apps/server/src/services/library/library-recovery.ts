/**
 * Start-up reconciliation of the library with the disk, run before the server accepts requests:
 * staging leftovers of interrupted uploads are removed; a file that reached its account folder without an
 * index row (crash between publish and commit) is hashed and indexed, or removed when the same content is
 * already indexed under another name (so it is neither lost nor duplicated); deletions a crash interrupted
 * are finished. Another live process on the same data directory may be between publishing a file and indexing
 * it: whichever indexes it first wins, and the other keeps the file (see LibraryService.commit). Rows whose
 * file is missing are reported, never silently dropped.
 */
import { createHash } from 'node:crypto';
import type { BlobStore } from '@photosync/storage';
import { isUniqueViolation } from '../../db/database.ts';
import type { AccountRepository } from '../../repositories/account-repository.ts';
import type { AssetRepository } from '../../repositories/asset-repository.ts';
import type { AccountService } from '../accounts/account-service.ts';
import { blobKey } from './library-service.ts';
import { mediaTypeOf } from './media-type.ts';

export interface RecoveryReport {
  stagingRemoved: number;
  indexed: string[];
  duplicatesRemoved: string[];
  missing: string[];
  deletionsFinished: number;
}

export interface RecoveryDeps {
  readonly accounts: AccountRepository;
  readonly assets: AssetRepository;
  readonly blobs: BlobStore;
  readonly accountService: AccountService;
}

async function sha256Of(blobs: BlobStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await blobs.read(key)) hash.update(chunk as Uint8Array);
  return hash.digest('hex');
}

export function emptyRecoveryReport(): RecoveryReport {
  return { stagingRemoved: 0, indexed: [], duplicatesRemoved: [], missing: [], deletionsFinished: 0 };
}

export async function recoverLibrary(deps: RecoveryDeps): Promise<RecoveryReport> {
  const { accounts, assets, blobs, accountService } = deps;
  const report = emptyRecoveryReport();
  report.stagingRemoved = await blobs.cleanStaging(0);
  for (const account of await accounts.listDeleted()) {
    await accountService.finishDeletion(account.id, account.uuid);
    report.deletionsFinished += 1;
  }
  for (const account of await accounts.listActive()) {
    const indexed = await assets.allNames(account.id);
    const onDisk = new Set<string>();
    for await (const blob of blobs.list(account.uuid)) {
      const filename = blob.key.slice(account.uuid.length + 1);
      onDisk.add(filename);
      if (indexed.has(filename)) continue;
      const sha256 = await sha256Of(blobs, blob.key);
      if (await assets.findBySha256(account.id, sha256)) {
        await blobs.delete(blob.key);
        report.duplicatesRemoved.push(blob.key);
        continue;
      }
      try {
        await assets.insert({
          account_id: account.id,
          filename,
          sha256,
          size: blob.size,
          mime: mediaTypeOf(filename, undefined),
          device_id: null,
          created_at: blob.modifiedAt.toISOString(),
        });
      } catch (error) {
        // Another live process on this data directory indexed it (or the same content) meanwhile.
        if (!isUniqueViolation(error)) throw error;
        if (!(await assets.findByName(account.id, filename)) && (await assets.findBySha256(account.id, sha256))) {
          await blobs.delete(blob.key);
          report.duplicatesRemoved.push(blob.key);
        }
        continue;
      }
      report.indexed.push(blob.key);
    }
    for (const filename of indexed) {
      if (!onDisk.has(filename)) report.missing.push(blobKey(account.uuid, filename));
    }
  }
  return report;
}
