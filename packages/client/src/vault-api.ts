/** Typed calls for the StealthCloud store (PROTOCOL.md §4) and our /api/v2/vault additions. */
import {
  ChunkStored,
  CloudUsage,
  DeleteManifestResponse,
  DeviceStatePutResponse,
  GcResponse,
  HaveChunksResponse,
  ManifestBody,
  ManifestList,
  PutManifestResponse,
  VaultKeysGet,
  VaultPurgeResponse,
} from '@photosync/protocol';
import type { Body, HttpTransport } from './http-transport.ts';

export interface PutManifestInput {
  readonly manifestId: string;
  readonly encryptedManifest: string;
  readonly chunkCount?: number;
  /** v2: the chunk ids the manifest uses (enables safe garbage collection). */
  readonly chunkIds?: readonly string[];
}

export function vaultApi(http: HttpTransport) {
  return {
    usage: () => http.json(CloudUsage, { method: 'GET', path: '/api/cloud/usage' }),

    /** Upload one ciphertext chunk; idempotent (the id is its SHA-256). */
    putChunk: (chunkId: string, ciphertext: Body | Uint8Array, signal?: AbortSignal) =>
      http.json(ChunkStored, {
        method: 'POST',
        path: '/api/cloud/chunks',
        body: ciphertext instanceof Uint8Array ? arrayBufferBytes(ciphertext) : ciphertext,
        headers: { 'x-chunk-id': chunkId, 'content-type': 'application/octet-stream' },
        ...(signal ? { signal } : {}),
      }),

    getChunk: async (chunkId: string, signal?: AbortSignal): Promise<Uint8Array> => {
      const response = await http.send({
        method: 'GET',
        path: `/api/cloud/chunks/${chunkId}`,
        ...(signal ? { signal } : {}),
      });
      return new Uint8Array(await response.arrayBuffer());
    },

    /** Which of these chunk ids the server has (at most 10,000 per call). */
    haveChunks: (chunkIds: readonly string[]) =>
      http.json(HaveChunksResponse, { method: 'POST', path: '/api/v2/vault/chunks/have', json: { chunkIds } }),

    putManifest: (input: PutManifestInput) =>
      http.json(PutManifestResponse, { method: 'POST', path: '/api/cloud/manifests', json: input }),

    listManifests: (page: { offset?: number; limit?: number } = {}) =>
      http.json(ManifestList, {
        method: 'GET',
        path: '/api/cloud/manifests',
        query: { offset: page.offset, limit: page.limit },
      }),

    getManifest: (manifestId: string) =>
      http.json(ManifestBody, { method: 'GET', path: `/api/cloud/manifests/${encodeURIComponent(manifestId)}` }),

    deleteManifest: (manifestId: string) =>
      http.json(DeleteManifestResponse, {
        method: 'DELETE',
        path: `/api/v2/vault/manifests/${encodeURIComponent(manifestId)}`,
      }),

    getKeys: () => http.json(VaultKeysGet, { method: 'GET', path: '/api/v2/vault/keys' }),

    putKeys: (keyAttributes: Record<string, unknown>) =>
      http.json(DeviceStatePutResponse, { method: 'PUT', path: '/api/v2/vault/keys', json: { keyAttributes } }),

    collectGarbage: (graceSeconds?: number) =>
      http.json(GcResponse, {
        method: 'POST',
        path: '/api/v2/vault/gc',
        json: graceSeconds === undefined ? {} : { graceSeconds },
      }),

    purge: () => http.json(VaultPurgeResponse, { method: 'POST', path: '/api/cloud/purge' }),
  };
}

/**
 * The bytes over their own ArrayBuffer, as fetch wants them. A copy of the crypto package's helper, so
 * the API client (every command's, the web app's) does not load the crypto library.
 */
function arrayBufferBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
