/**
 * Where derived images live: a BlobStore of their own (THUMB_DIR), keyed
 * `{account uuid}/{first two hex of the sha256}/{sha256}-{variant}.webp`. Content-addressed per account, so a
 * key never holds two different pictures; written through stage → commit, so a reader never sees half a file.
 * Derived data: losing it costs a re-render, never a photo. Deleting an account removes its whole prefix.
 */
import { Readable } from 'node:stream';
import { BlobExistsError, type BlobStore } from '@photosync/storage';
import type { Thumbnails } from './thumbnail-renderer.ts';

export type ThumbnailVariant = 'grid' | 'preview';

export const THUMBNAIL_VARIANTS: readonly ThumbnailVariant[] = ['grid', 'preview'];

export class ThumbnailStore {
  constructor(private readonly blobs: BlobStore) {}

  key(accountUuid: string, sha256: string, variant: ThumbnailVariant): string {
    return `${accountUuid}/${sha256.slice(0, 2)}/${sha256}-${variant}.webp`;
  }

  /** Store both variants, replacing older renders of the same content. */
  async write(accountUuid: string, sha256: string, thumbnails: Thumbnails): Promise<void> {
    for (const variant of THUMBNAIL_VARIANTS) {
      const key = this.key(accountUuid, sha256, variant);
      const staged = await this.blobs.stage(Readable.from([thumbnails[variant]]));
      try {
        try {
          await this.blobs.commit(staged, key);
        } catch (error) {
          if (!(error instanceof BlobExistsError)) throw error;
          await this.blobs.delete(key);
          await this.blobs.commit(staged, key);
        }
      } finally {
        await this.blobs.discard(staged);
      }
    }
  }

  async size(accountUuid: string, sha256: string, variant: ThumbnailVariant): Promise<number | undefined> {
    return (await this.blobs.stat(this.key(accountUuid, sha256, variant)))?.size;
  }

  read(accountUuid: string, sha256: string, variant: ThumbnailVariant): Promise<Readable> {
    return this.blobs.read(this.key(accountUuid, sha256, variant));
  }

  async remove(accountUuid: string, sha256: string): Promise<void> {
    for (const variant of THUMBNAIL_VARIANTS) await this.blobs.delete(this.key(accountUuid, sha256, variant));
  }

  /** Every derived image of the account (purge). */
  async removeAll(accountUuid: string): Promise<void> {
    await this.blobs.deletePrefix(accountUuid);
  }
}
