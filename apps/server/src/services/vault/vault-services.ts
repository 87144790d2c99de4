/** Wires the StealthCloud store: repositories over one database, chunks in their own BlobStore. */
import type { BlobStore } from '@photosync/storage';
import type { Db } from '../../db/database.ts';
import { VaultChunkRepository } from '../../repositories/vault-chunk-repository.ts';
import { VaultManifestRepository } from '../../repositories/vault-manifest-repository.ts';
import { VaultStateRepository } from '../../repositories/vault-state-repository.ts';
import type { ChunkCollectorDeps } from './chunk-collector.ts';
import { ChunkStore } from './chunk-store.ts';
import { ManifestStore } from './manifest-store.ts';
import { VaultAccount } from './vault-account.ts';

export interface VaultServices {
  readonly blobs: BlobStore;
  readonly chunkRepository: VaultChunkRepository;
  readonly chunks: ChunkStore;
  readonly manifests: ManifestStore;
  readonly account: VaultAccount;
  readonly collector: ChunkCollectorDeps;
}

export function createVaultServices(db: Db, blobs: BlobStore): VaultServices {
  const chunkRepository = new VaultChunkRepository(db);
  const manifestRepository = new VaultManifestRepository(db);
  const chunks = new ChunkStore({ chunks: chunkRepository, blobs });
  return {
    blobs,
    chunkRepository,
    chunks,
    manifests: new ManifestStore({ manifests: manifestRepository, chunks: chunkRepository }),
    account: new VaultAccount({
      chunks: chunkRepository,
      manifests: manifestRepository,
      state: new VaultStateRepository(db),
      blobs,
    }),
    collector: { chunks: chunkRepository, manifests: manifestRepository, blobs, chunkStore: chunks },
  };
}
