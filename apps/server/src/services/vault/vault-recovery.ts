/**
 * Start-up reconciliation of the StealthCloud store with its index, the vault's counterpart of
 * ../library/library-recovery.ts. A chunk file without a row is what a crash between publishing a chunk and
 * committing its row leaves ([Note: quota in the database]). It is re-hashed: bytes that are the chunk are
 * adopted within the quota, exactly as the client's retry of that upload would store them; anything else,
 * or a chunk the quota no longer allows, is removed. So the index matches the disk again and no unaccounted
 * byte stays on it.
 * Safe beside another live process on the same data directory: adoption is the same idempotent insert a
 * concurrent upload of that chunk makes, and a file is removed only while no row names it.
 * Must never: remove a chunk that has a row, or count a chunk twice.
 */
import { createHash } from 'node:crypto';
import type { BlobStore } from '@photosync/storage';
import type { AccountRepository } from '../../repositories/account-repository.ts';
import type { VaultChunkRepository } from '../../repositories/vault-chunk-repository.ts';
import { chunkKey } from './chunk-store.ts';

export interface VaultRecoveryReport {
  /** Keys of chunk files found without a row and adopted. */
  readonly adopted: string[];
  /** Keys of chunk files without a row that were removed (not the chunk their name says, or over quota). */
  readonly removed: string[];
}

export interface VaultRecoveryDeps {
  readonly accounts: AccountRepository;
  readonly chunks: VaultChunkRepository;
  readonly blobs: BlobStore;
  readonly now?: () => Date;
}

const FAN_OUT = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const CHUNK_ID = /^[0-9a-f]{64}$/;

async function sha256Of(blobs: BlobStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const part of await blobs.read(key)) hash.update(part as Uint8Array);
  return hash.digest('hex');
}

export async function recoverVaultChunks(deps: VaultRecoveryDeps): Promise<VaultRecoveryReport> {
  const { accounts, chunks, blobs } = deps;
  const report: VaultRecoveryReport = { adopted: [], removed: [] };
  for (const account of await accounts.listActive()) {
    for (const fan of FAN_OUT) {
      let indexed: Set<string> | undefined;
      for await (const blob of blobs.list(`${account.uuid}/${fan}`)) {
        indexed ??= await chunks.idsWithPrefix(account.id, fan);
        const chunkId = blob.key.slice(blob.key.lastIndexOf('/') + 1);
        if (indexed.has(chunkId)) continue;
        const key = blob.key;
        const genuine =
          CHUNK_ID.test(chunkId) && key === chunkKey(account.uuid, chunkId) && (await sha256Of(blobs, key)) === chunkId;
        const outcome = genuine
          ? await chunks.insertWithinQuota(account.id, chunkId, blob.size, deps.now?.() ?? new Date())
          : undefined;
        if (outcome && outcome.kind !== 'over-quota') {
          report.adopted.push(key);
        } else if (!(await chunks.exists(account.id, chunkId))) {
          await blobs.delete(key);
          report.removed.push(key);
        }
      }
    }
  }
  return report;
}
