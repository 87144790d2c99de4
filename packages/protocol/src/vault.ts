/**
 * StealthCloud store routes (PROTOCOL.md §4) and our /api/v2/vault additions. The server only ever sees
 * ciphertext and opaque ids; nothing here may carry a plaintext name, date or key.
 */
import { z } from 'zod';

export const ChunkId = z.string().regex(/^[0-9a-f]{64}$/, 'Expected lowercase hex SHA-256');

export const ChunkStored = z.object({ chunkId: z.string(), stored: z.literal(true) });

/** Compatibility: ids keep only `[A-Za-z0-9_-]`; we refuse rather than truncate anything over 128. */
export const ManifestId = z
  .string()
  .transform((value) => value.replace(/[^A-Za-z0-9_-]/g, ''))
  .pipe(z.string().min(1, 'manifestId is required').max(128, 'manifestId is longer than 128 characters'));

export const PutManifestRequest = z.object({
  manifestId: ManifestId,
  encryptedManifest: z.string().min(1),
  chunkCount: z.number().int().positive().optional(),
  /** Ours (v2 manifests): the chunk ids the manifest uses, so unreferenced chunks can be collected. */
  chunkIds: z.array(ChunkId).max(1_000_000).optional(),
});
export type PutManifestRequest = z.infer<typeof PutManifestRequest>;

export const PutManifestResponse = z.object({
  ok: z.literal(true),
  manifestId: z.string(),
  skipped: z.literal(true).optional(),
  reason: z.literal('manifestId').optional(),
});

export const ManifestList = z.object({
  manifests: z.array(z.object({ manifestId: z.string() })),
  total: z.number().int(),
});

export const ManifestBody = z.object({ manifestId: z.string(), encryptedManifest: z.string(), createdAt: z.string() });

export const DeviceStatePut = z.union([
  z.object({ state: z.record(z.string(), z.unknown()) }),
  z.record(z.string(), z.unknown()),
]);
export const DeviceStateGet = z.object({
  state: z.record(z.string(), z.unknown()).nullable(),
  updatedAt: z.string().nullable(),
});
export const DeviceStatePutResponse = z.object({ ok: z.literal(true), updatedAt: z.string() });

export const Subscription = z.object({
  allowed: z.boolean(),
  status: z.string(),
  plan: z.string(),
  selfHosted: z.literal(true),
});

export const CloudUsage = z.object({
  planGb: z.number(),
  quotaBytes: z.number().int(),
  usedBytes: z.number().int(),
  remainingBytes: z.number().int(),
  marginBytes: z.number().int(),
  unlimited: z.boolean().describe('Ours: no administrator quota; quotaBytes is then used + free disk'),
  subscription: Subscription,
  serverFreeBytes: z.number().int(),
});

export const QuotaExceeded = z.object({
  error: z.string(),
  code: z.literal('QUOTA_EXCEEDED'),
  usedBytes: z.number().int(),
  quotaBytes: z.number().int(),
  remainingBytes: z.number().int(),
});

export const VaultPurgeResponse = z.object({
  ok: z.literal(true),
  deleted: z.object({ chunks: z.number().int(), manifests: z.number().int() }),
});

export const Capacity = z.object({ freeBytes: z.number().int(), totalBytes: z.number().int() });

export const HaveChunksRequest = z.object({ chunkIds: z.array(ChunkId).min(1).max(10_000) });
export const HaveChunksResponse = z.object({ have: z.array(z.string()), missing: z.array(z.string()) });

export const DeleteManifestResponse = z.object({ deleted: z.literal(true), manifestId: z.string() });

export const GcRequest = z.object({
  graceSeconds: z
    .number()
    .int()
    .min(0)
    .max(365 * 86_400)
    .optional()
    .describe('Default 86400 (one day)'),
});
export const GcResponse = z.object({
  deletedChunks: z.number().int(),
  freedBytes: z.number().int(),
  skippedReason: z.string().optional().describe('Set when collection could not run safely'),
});

/** v2 key attributes: opaque to the server (wrapped master key, KDF salt and costs), stored per account. */
export const VaultKeys = z.object({ keyAttributes: z.record(z.string(), z.unknown()) });
export const VaultKeysGet = z.object({
  keyAttributes: z.record(z.string(), z.unknown()).nullable(),
  updatedAt: z.string().nullable(),
});
