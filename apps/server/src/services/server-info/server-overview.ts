/**
 * What the administrator page shows about the server itself: the version it runs and, per store (library
 * and StealthCloud vault), the bytes the accounts use and the space left where the store writes.
 * Read-only; administrator only.
 */
import { readFile } from 'node:fs/promises';
import type { BlobStore } from '@photosync/storage';
import type { AccountRepository } from '../../repositories/account-repository.ts';
import type { AuthContext } from '../accounts/account-service.ts';
import { Forbidden } from '../errors.ts';

export interface StoreUsage {
  readonly usedBytes: number;
  /** Free and total bytes of the disk (or backend) the store writes to; null when it cannot tell. */
  readonly freeBytes: number | null;
  readonly totalBytes: number | null;
}

export interface ServerOverview {
  readonly version: string;
  readonly storage: { readonly library: StoreUsage; readonly vault: StoreUsage };
}

export interface ServerOverviewDeps {
  readonly accountRepository: AccountRepository;
  readonly libraryBlobs: BlobStore;
  readonly vaultBlobs: BlobStore;
}

let version: Promise<string> | undefined;

/** The server version: the root package.json's, the one version source (as the OpenAPI document uses). */
export function serverVersion(): Promise<string> {
  version ??= readFile(new URL('../../../../../package.json', import.meta.url), 'utf8').then(
    (text) => (JSON.parse(text) as { version: string }).version,
  );
  return version;
}

async function usage(store: BlobStore, usedBytes: number): Promise<StoreUsage> {
  const capacity = await store.capacity();
  return { usedBytes, freeBytes: capacity?.freeBytes ?? null, totalBytes: capacity?.totalBytes ?? null };
}

export async function serverOverview(deps: ServerOverviewDeps, who: AuthContext): Promise<ServerOverview> {
  if (!who.isAdmin) throw new Forbidden('Only the administrator can do this', 'ADMIN_ONLY');
  const accounts = await deps.accountRepository.listActive();
  const libraryBytes = accounts.reduce((sum, row) => sum + Number(row.asset_bytes), 0);
  const vaultBytes = accounts.reduce((sum, row) => sum + Number(row.vault_bytes), 0);
  const [library, vault] = await Promise.all([
    usage(deps.libraryBlobs, libraryBytes),
    usage(deps.vaultBlobs, vaultBytes),
  ]);
  return { version: await serverVersion(), storage: { library, vault } };
}
