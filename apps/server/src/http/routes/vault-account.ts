/**
 * StealthCloud account routes: usage, subscription (always active here), device state, purge, capacity
 * (PROTOCOL.md §4), plus our /api/v2/vault additions: bulk "have", garbage collection, key attributes.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DeviceStatePut, GcRequest, HaveChunksRequest, VaultKeys } from '@photosync/protocol';
import type { BlobStore } from '@photosync/storage';
import type { VaultChunkRepository } from '../../repositories/vault-chunk-repository.ts';
import type { AccountService } from '../../services/accounts/account-service.ts';
import { collectUnreferencedChunks, type ChunkCollectorDeps } from '../../services/vault/chunk-collector.ts';
import { SUBSCRIPTION, type VaultAccount } from '../../services/vault/vault-account.ts';
import { caller, requireAuth } from '../authenticate.ts';
import { parseInput } from '../parse.ts';

export interface VaultAccountRouteDeps {
  readonly accounts: AccountService;
  readonly vaultAccount: VaultAccount;
  readonly chunks: VaultChunkRepository;
  readonly collector: ChunkCollectorDeps;
  readonly blobs: BlobStore;
}

export function vaultAccountRoutes(app: FastifyInstance, deps: VaultAccountRouteDeps): void {
  const auth = { preHandler: requireAuth(deps.accounts) };

  app.get('/api/cloud/usage', auth, async (request) => deps.vaultAccount.usage(caller(request)));
  app.get('/api/subscription/status', auth, async () => SUBSCRIPTION);

  app.get('/api/cloud/device-state', auth, async (request) => deps.vaultAccount.deviceState(caller(request)));
  app.put('/api/cloud/device-state', auth, async (request) => {
    const body = parseInput(DeviceStatePut, request.body, 'Device state must be a JSON object', 'INVALID_STATE');
    const state =
      'state' in body && typeof body['state'] === 'object' && body['state'] !== null
        ? (body['state'] as Record<string, unknown>)
        : body;
    return { ok: true, updatedAt: await deps.vaultAccount.putDeviceState(caller(request), state) };
  });

  app.post('/api/cloud/purge', auth, async (request) => ({
    ok: true,
    deleted: await deps.vaultAccount.purge(caller(request)),
  }));

  const capacity = async (_request: unknown, reply: FastifyReply) => {
    const known = await deps.blobs.capacity();
    return known ?? reply.status(404).send({ error: 'Capacity unknown', code: 'NOT_FOUND' });
  };
  app.get('/api/capacity', capacity);
  app.get('/.well-known/photosync-capacity.json', capacity);

  app.post('/api/v2/vault/chunks/have', auth, async (request) => {
    const { chunkIds } = parseInput(HaveChunksRequest, request.body);
    const present = await deps.chunks.have(caller(request).accountId, chunkIds, new Date());
    return { have: chunkIds.filter((id) => present.has(id)), missing: chunkIds.filter((id) => !present.has(id)) };
  });

  app.post('/api/v2/vault/gc', auth, async (request) => {
    const { graceSeconds } = parseInput(GcRequest, request.body);
    return collectUnreferencedChunks(deps.collector, caller(request), graceSeconds);
  });

  app.get('/api/v2/vault/keys', auth, async (request) => deps.vaultAccount.keys(caller(request)));
  app.put('/api/v2/vault/keys', auth, async (request) => {
    const { keyAttributes } = parseInput(VaultKeys, request.body);
    return { ok: true, updatedAt: await deps.vaultAccount.putKeys(caller(request), keyAttributes) };
  });
}
