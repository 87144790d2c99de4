/**
 * The vault's files: manifests fetched and opened (authenticated) in the browser, a page at a time, and one
 * file decrypted from its chunks into a Blob for download. Nothing but ciphertext crosses the network.
 */
import { decryptFile, envelopeVersion, openManifestV1, openManifestV2 } from '@photosync/crypto';
import type { ManifestV1, ManifestV2 } from '@photosync/crypto';
import { api } from '../app/api.ts';
import type { UnlockedVault } from './vault-keys.ts';

export interface VaultFile {
  readonly manifestId: string;
  readonly filename: string;
  readonly size: number;
  readonly mediaType: string;
  readonly creationTime: number | null;
  readonly manifest: ManifestV1 | ManifestV2;
}

export interface VaultListing {
  readonly files: VaultFile[];
  readonly total: number;
  /** Manifests of the other format, or that did not authenticate with this key. */
  readonly unreadable: number;
}

const PARALLEL = 6;

async function openOne(vault: UnlockedVault, manifestId: string): Promise<VaultFile | undefined> {
  const { encryptedManifest } = await api().vault.getManifest(manifestId);
  const version = envelopeVersion(encryptedManifest);
  if ((version === 1 ? 'v1' : 'v2') !== vault.format) return undefined;
  try {
    const manifest =
      version === 1
        ? await openManifestV1(vault.masterKey, encryptedManifest)
        : await openManifestV2(vault.masterKey, { manifestId, encryptedManifest });
    return {
      manifestId,
      filename: manifest.filename,
      size: manifest.originalSize,
      mediaType: manifest.mediaType,
      creationTime: manifest.creationTime,
      manifest,
    };
  } catch {
    return undefined;
  }
}

export async function listVaultFiles(vault: UnlockedVault, offset: number, limit: number): Promise<VaultListing> {
  const page = await api().vault.listManifests({ offset, limit });
  const ids = page.manifests.map((entry) => entry.manifestId);
  const opened: (VaultFile | undefined)[] = [];
  for (let start = 0; start < ids.length; start += PARALLEL) {
    opened.push(...(await Promise.all(ids.slice(start, start + PARALLEL).map((id) => openOne(vault, id)))));
  }
  const files = opened.filter((file): file is VaultFile => file !== undefined);
  return { files, total: page.total, unreadable: ids.length - files.length };
}

const TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  heic: 'image/heic',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
};

/** Fetch the chunks (one ahead), verify and decrypt them; the Blob exists only once every check passed. */
export async function decryptToBlob(
  vault: UnlockedVault,
  file: VaultFile,
  onProgress: (bytes: number) => void,
): Promise<Blob> {
  const ids = file.manifest.chunkIds;
  const fetchChunk = (id: string | undefined) => {
    if (id === undefined) return undefined;
    const chunk = api().vault.getChunk(id);
    chunk.catch(() => undefined); // a prefetch that is never awaited (decryption stopped) must not be "unhandled"
    return chunk;
  };
  async function* ciphertexts(): AsyncGenerator<Uint8Array> {
    let next = fetchChunk(ids[0]);
    for (let i = 0; next; i += 1) {
      const current = next;
      next = fetchChunk(ids[i + 1]);
      yield await current;
    }
  }
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let done = 0;
  for await (const plain of decryptFile(vault.masterKey, file.manifest, ciphertexts())) {
    parts.push(new Uint8Array(plain));
    done += plain.byteLength;
    onProgress(done);
  }
  const extension = file.filename.split('.').pop()?.toLowerCase() ?? '';
  return new Blob(parts, { type: TYPES[extension] ?? 'application/octet-stream' });
}
