/** StealthCloud routes: compatibility store (PROTOCOL.md §4) and our /api/v2/vault additions. */
import { PageQuery } from '../common.ts';
import type { RouteSpec } from '../route-spec.ts';
import {
  Capacity,
  ChunkStored,
  CloudUsage,
  DeleteManifestResponse,
  DeviceStateGet,
  DeviceStatePut,
  DeviceStatePutResponse,
  GcRequest,
  GcResponse,
  HaveChunksRequest,
  HaveChunksResponse,
  ManifestBody,
  ManifestList,
  PutManifestRequest,
  PutManifestResponse,
  QuotaExceeded,
  Subscription,
  VaultKeys,
  VaultKeysGet,
  VaultPurgeResponse,
} from '../vault.ts';
import { z } from 'zod';
import { authErrors, error } from './shared.ts';

const compat = 'compat: stealthcloud' as const;
const ours = 'v2: vault' as const;
const idParams = z.object({ id: z.string() });
const okAt = DeviceStatePutResponse;

export const vaultRoutes: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/api/cloud/chunks',
    summary: 'Store one encrypted chunk',
    description:
      'Raw body (application/octet-stream) or multipart field `chunk`. Streamed while hashed; stored only if ' +
      'SHA-256(body) = X-Chunk-Id. An existing chunk is verified but not rewritten. Idempotent.',
    tag: compat,
    auth: true,
    body: { kind: 'binary', description: 'Ciphertext (at most 16 MiB)' },
    headers: { 'X-Chunk-Id': { description: 'Lowercase hex SHA-256 of the ciphertext', required: true } },
    responses: {
      200: { description: 'Stored (or already stored)', schema: ChunkStored },
      ...authErrors,
      400: error('Missing or invalid X-Chunk-Id / Chunk hash mismatch / No chunk uploaded'),
      413: { description: 'Storage limit reached (QUOTA_EXCEEDED) or chunk too large', schema: QuotaExceeded },
      507: error('Disk full (nothing stored)'),
    },
  },
  {
    method: 'get',
    path: '/api/cloud/chunks/{chunkId}',
    summary: 'Download one encrypted chunk',
    tag: compat,
    auth: true,
    params: z.object({ chunkId: z.string() }),
    responses: {
      200: { description: 'Ciphertext', content: 'binary' },
      ...authErrors,
      400: error('Invalid chunk id'),
      404: error('Chunk not found'),
    },
  },
  {
    method: 'post',
    path: '/api/cloud/manifests',
    summary: 'Store an encrypted manifest (first writer wins)',
    description:
      'No size limit beyond 64 MiB (a 20 GB video needs ~1 MB). With `chunkIds` (ours, v2) every chunk must be ' +
      'stored already (else 400 MISSING_CHUNKS), and the references make garbage collection safe.',
    tag: compat,
    auth: true,
    body: { kind: 'json', schema: PutManifestRequest },
    responses: {
      200: { description: 'Stored, or skipped when the id exists', schema: PutManifestResponse },
      ...authErrors,
    },
  },
  {
    method: 'get',
    path: '/api/cloud/manifests',
    summary: 'List manifest ids',
    tag: compat,
    auth: true,
    query: PageQuery,
    responses: { 200: { description: 'One page (Cache-Control: no-store)', schema: ManifestList }, ...authErrors },
  },
  {
    method: 'get',
    path: '/api/cloud/manifests/{id}',
    summary: 'Fetch one encrypted manifest',
    tag: compat,
    auth: true,
    params: idParams,
    responses: {
      200: { description: 'The manifest', schema: ManifestBody },
      404: error('Manifest not found'),
      ...authErrors,
    },
  },
  {
    method: 'get',
    path: '/api/cloud/device-state',
    summary: "The phone's saved StealthCloud state",
    tag: compat,
    auth: true,
    responses: { 200: { description: 'State (null when never saved)', schema: DeviceStateGet }, ...authErrors },
  },
  {
    method: 'put',
    path: '/api/cloud/device-state',
    summary: "Save the phone's StealthCloud state (≤ 100 KiB)",
    tag: compat,
    auth: true,
    body: { kind: 'json', schema: DeviceStatePut },
    responses: { 200: { description: 'Saved', schema: okAt }, 413: error('Larger than 100 KiB'), ...authErrors },
  },
  {
    method: 'get',
    path: '/api/cloud/usage',
    summary: 'StealthCloud usage and quota',
    description: 'Without an administrator quota, quotaBytes is used + free disk and `unlimited` is true.',
    tag: compat,
    auth: true,
    responses: { 200: { description: 'Usage', schema: CloudUsage }, ...authErrors },
  },
  {
    method: 'get',
    path: '/api/subscription/status',
    summary: 'Subscription (self-hosted accounts are always active)',
    tag: compat,
    auth: true,
    responses: { 200: { description: 'Active', schema: Subscription }, ...authErrors },
  },
  {
    method: 'post',
    path: '/api/cloud/purge',
    summary: 'Delete every chunk and manifest of the account',
    tag: compat,
    auth: true,
    responses: { 200: { description: 'Purged', schema: VaultPurgeResponse }, ...authErrors },
  },
  ...['/api/capacity', '/.well-known/photosync-capacity.json'].map((path): RouteSpec => ({
    method: 'get',
    path,
    summary: 'Free and total space of the vault store',
    tag: compat,
    auth: false,
    responses: { 200: { description: 'Capacity', schema: Capacity }, 404: error('Unknown') },
  })),
  {
    method: 'post',
    path: '/api/v2/vault/chunks/have',
    summary: 'Which of these chunks are stored (up to 10,000 ids)',
    description: 'Answered chunks are marked as recently used, so garbage collection spares them for the grace period.',
    tag: ours,
    auth: true,
    body: { kind: 'json', schema: HaveChunksRequest },
    responses: { 200: { description: 'Split into have / missing', schema: HaveChunksResponse }, ...authErrors },
  },
  {
    method: 'delete',
    path: '/api/v2/vault/manifests/{id}',
    summary: 'Delete one manifest',
    tag: ours,
    auth: true,
    params: idParams,
    responses: {
      200: { description: 'Deleted', schema: DeleteManifestResponse },
      404: error('Manifest not found'),
      ...authErrors,
    },
  },
  {
    method: 'post',
    path: '/api/v2/vault/gc',
    summary: 'Delete chunks no manifest references',
    description:
      'Only chunks untouched for the grace period (default one day, at least one hour) are deleted. Skipped ' +
      'while any manifest in format v1 exists, because the server cannot know what such a manifest references.',
    tag: ours,
    auth: true,
    body: { kind: 'json', schema: GcRequest },
    responses: { 200: { description: 'What was collected', schema: GcResponse }, ...authErrors },
  },
  {
    method: 'get',
    path: '/api/v2/vault/keys',
    summary: 'The v2 key attributes stored for the account (opaque to the server)',
    tag: ours,
    auth: true,
    responses: { 200: { description: 'Key attributes or null', schema: VaultKeysGet }, ...authErrors },
  },
  {
    method: 'put',
    path: '/api/v2/vault/keys',
    summary: 'Store the v2 key attributes (wrapped master key, KDF salt and costs)',
    tag: ours,
    auth: true,
    body: { kind: 'json', schema: VaultKeys },
    responses: { 200: { description: 'Saved', schema: okAt }, ...authErrors },
  },
];
