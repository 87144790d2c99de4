/**
 * Helpers for the StealthCloud (vault) tests: chunk and manifest calls through `inject`, where chunks live on
 * disk (`{dataDir}/vault/{account uuid}/{first 2 hex}/{chunkId}`), staging leftovers and the chunk index.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { multipartBody, sha256, walk } from './library.ts';
import type { Session, TestServer } from './test-server.ts';

export interface Chunk {
  readonly id: string;
  readonly bytes: Buffer;
}

/** Random "ciphertext" and its id. */
export function makeChunk(size = 1024): Chunk {
  const bytes = randomBytes(size);
  return { id: sha256(bytes), bytes };
}

export function postChunk(app: FastifyInstance, session: Session, bytes: Buffer, chunkId: string = sha256(bytes)) {
  return app.inject({
    method: 'POST',
    url: '/api/cloud/chunks',
    headers: { ...session.headers, 'x-chunk-id': chunkId, 'content-type': 'application/octet-stream' },
    payload: bytes,
  });
}

export function postChunkMultipart(
  app: FastifyInstance,
  session: Session,
  bytes: Buffer,
  chunkId: string = sha256(bytes),
  field = 'chunk',
) {
  const part = multipartBody('chunk.bin', bytes, { field });
  return app.inject({
    method: 'POST',
    url: '/api/cloud/chunks',
    headers: { ...session.headers, 'x-chunk-id': chunkId, 'content-type': part.contentType },
    payload: part.payload,
  });
}

export function getChunk(app: FastifyInstance, session: Session, chunkId: string) {
  return app.inject({ url: `/api/cloud/chunks/${chunkId}`, headers: session.headers });
}

/** Upload chunks and fail loudly if any is refused. */
export async function storeChunks(app: FastifyInstance, session: Session, chunks: readonly Chunk[]): Promise<void> {
  for (const chunk of chunks) {
    const response = await postChunk(app, session, chunk.bytes, chunk.id);
    if (response.statusCode !== 200) throw new Error(`chunk upload failed: ${response.statusCode} ${response.body}`);
  }
}

export function postManifest(app: FastifyInstance, session: Session, body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/api/cloud/manifests', headers: session.headers, payload: body });
}

export function vaultCall(
  app: FastifyInstance,
  session: Session,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  return app.inject({
    method,
    url,
    headers: session.headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

export async function usedBytes(app: FastifyInstance, session: Session): Promise<number> {
  const response = await vaultCall(app, session, 'GET', '/api/cloud/usage');
  return response.json<{ usedBytes: number }>().usedBytes;
}

export function vaultDir(server: { dataDir: string }): string {
  return join(server.dataDir, 'vault');
}

export function chunkPath(server: { dataDir: string }, uuid: string, chunkId: string): string {
  return join(vaultDir(server), uuid, chunkId.slice(0, 2), chunkId);
}

/** Every file (not directory) under the vault directory, relative to it, sorted. */
export async function vaultFiles(server: { dataDir: string }): Promise<string[]> {
  const entries = await walk(vaultDir(server)).catch(() => [] as string[]);
  return entries.filter((entry) => !entry.endsWith('/'));
}

/** Chunk files of one account on disk, as chunk ids, sorted. */
export async function chunkFilesOf(server: { dataDir: string }, uuid: string): Promise<string[]> {
  const entries = await walk(join(vaultDir(server), uuid)).catch(() => [] as string[]);
  return entries
    .filter((entry) => !entry.endsWith('/'))
    .map((entry) => entry.split('/').pop() ?? '')
    .sort();
}

export async function vaultStaging(server: { dataDir: string }): Promise<string[]> {
  return readdir(join(vaultDir(server), '.incoming')).catch(() => []);
}

/** The account's chunk rows (id → size), straight from the database. */
export async function chunkRows(server: TestServer, session: Session): Promise<Map<string, number>> {
  const rows = await server.context.db
    .selectFrom('vault_chunks')
    .innerJoin('accounts', 'accounts.id', 'vault_chunks.account_id')
    .select(['vault_chunks.chunk_id', 'vault_chunks.size'])
    .where('accounts.email', '=', session.email)
    .execute();
  return new Map(rows.map((row) => [row.chunk_id, Number(row.size)]));
}

/** Make the account's chunks look untouched since `epochMs` (for garbage collection). */
export async function ageChunks(server: TestServer, session: Session, chunkIds: readonly string[], epochMs = 0) {
  await server.context.db
    .updateTable('vault_chunks')
    .set({ touched_at: epochMs })
    .where('account_id', '=', session.userId)
    .where('chunk_id', 'in', chunkIds)
    .execute();
}
