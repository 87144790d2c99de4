/**
 * Helpers for the media tests: upload a real file, wait for the media queue deterministically (no sleeps),
 * read a file's metadata and decode its thumbnails to check what a user would see.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { AssetMetadata } from '@photosync/protocol';
import { uploadRaw, type Session, type TestServer } from '../../support/test-server.ts';

export async function uploadFile(server: TestServer, session: Session, path: string, name = basename(path)) {
  const response = await uploadRaw(server.app, session, name, await readFile(path));
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ filename: string; sha256: string }>().filename;
}

/** Wait until the media queue has nothing queued, running or being enqueued. */
export function mediaIdle(server: TestServer): Promise<void> {
  return server.context.media.queue.whenIdle();
}

export async function metadataOf(app: FastifyInstance, session: Session, filename: string): Promise<AssetMetadata> {
  const response = await app.inject({
    url: `/api/v2/files/${encodeURIComponent(filename)}/metadata`,
    headers: session.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<AssetMetadata>();
}

export function getImage(
  app: FastifyInstance,
  session: Session,
  filename: string,
  variant: 'thumbnail' | 'preview',
  headers: Record<string, string> = {},
) {
  return app.inject({
    url: `/api/v2/files/${encodeURIComponent(filename)}/${variant}`,
    headers: { ...session.headers, ...headers },
  });
}

export interface DecodedImage {
  readonly format: string | undefined;
  readonly width: number;
  readonly height: number;
  /** Mean of each channel (R, G, B). */
  readonly mean: readonly number[];
}

/** Fetch a thumbnail or preview (200, image/webp) and decode it. */
export async function decodedImage(
  app: FastifyInstance,
  session: Session,
  filename: string,
  variant: 'thumbnail' | 'preview',
): Promise<DecodedImage> {
  const response = await getImage(app, session, filename, variant);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('image/webp');
  const image = sharp(response.rawPayload);
  const [metadata, stats] = await Promise.all([image.metadata(), image.stats()]);
  return {
    format: metadata.format,
    width: metadata.width,
    height: metadata.height,
    mean: stats.channels.slice(0, 3).map((channel) => channel.mean),
  };
}

/** Rows of the jobs table for an account, oldest first. */
export function jobsOf(server: TestServer, session: Session) {
  return server.context.db
    .selectFrom('jobs')
    .innerJoin('accounts', 'accounts.id', 'jobs.account_id')
    .select(['jobs.id', 'jobs.asset_id', 'jobs.status', 'jobs.attempts', 'jobs.reason'])
    .where('accounts.email', '=', session.email)
    .orderBy('jobs.id')
    .execute();
}
