/**
 * `photosync verify`: re-hash every stored library file and vault chunk and compare with the index.
 * Reports files that are missing, corrupt (hash or size differ) or on disk without an index row.
 * Read-only: it never repairs or deletes anything; recovery and the operator decide what to do.
 */
import { createHash } from 'node:crypto';
import type { BlobStore } from '@photosync/storage';
import type { AccountRepository } from '../../repositories/account-repository.ts';
import type { AssetRepository } from '../../repositories/asset-repository.ts';
import type { VaultChunkRepository } from '../../repositories/vault-chunk-repository.ts';
import { blobKey } from '../library/library-service.ts';
import { chunkKey } from '../vault/chunk-store.ts';

export interface VerificationReport {
  filesChecked: number;
  chunksChecked: number;
  bytesChecked: number;
  missing: string[];
  corrupt: string[];
  unindexed: string[];
}

export interface VerificationDeps {
  readonly accounts: AccountRepository;
  readonly assets: AssetRepository;
  readonly chunks: VaultChunkRepository;
  readonly blobs: BlobStore;
  readonly vaultBlobs: BlobStore;
}

export type VerificationProgress = (checked: { items: number; bytes: number; current: string }) => void;

const PAGE = 500;

/** SHA-256 and size of a stored blob, or undefined when it is missing. */
async function digest(store: BlobStore, key: string): Promise<{ sha256: string; size: number } | undefined> {
  if (!(await store.stat(key))) return undefined;
  const hash = createHash('sha256');
  let size = 0;
  for await (const part of await store.read(key)) {
    size += (part as Uint8Array).byteLength;
    hash.update(part as Uint8Array);
  }
  return { sha256: hash.digest('hex'), size };
}

export async function verifyStorage(
  deps: VerificationDeps,
  onProgress: VerificationProgress = () => undefined,
): Promise<VerificationReport> {
  const report: VerificationReport = {
    filesChecked: 0,
    chunksChecked: 0,
    bytesChecked: 0,
    missing: [],
    corrupt: [],
    unindexed: [],
  };
  const check = async (store: BlobStore, key: string, sha256: string, size: number): Promise<void> => {
    const found = await digest(store, key);
    if (!found) report.missing.push(key);
    else if (found.sha256 !== sha256 || found.size !== size) report.corrupt.push(key);
    report.bytesChecked += found?.size ?? 0;
    onProgress({ items: report.filesChecked + report.chunksChecked, bytes: report.bytesChecked, current: key });
  };
  for (const account of await deps.accounts.listActive()) {
    const indexed = new Set<string>();
    for (let after = ''; ;) {
      const page = await deps.assets.pageAfter(account.id, after, PAGE);
      for (const asset of page) {
        indexed.add(asset.filename);
        report.filesChecked += 1;
        await check(deps.blobs, blobKey(account.uuid, asset.filename), asset.sha256, Number(asset.size));
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.filename ?? after;
    }
    for await (const blob of deps.blobs.list(account.uuid)) {
      if (!indexed.has(blob.key.slice(account.uuid.length + 1))) report.unindexed.push(blob.key);
    }
    for (let after = ''; ;) {
      const page = await deps.chunks.pageAfter(account.id, after, PAGE);
      for (const chunk of page) {
        report.chunksChecked += 1;
        await check(deps.vaultBlobs, chunkKey(account.uuid, chunk.chunkId), chunk.chunkId, chunk.size);
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.chunkId ?? after;
    }
  }
  return report;
}
