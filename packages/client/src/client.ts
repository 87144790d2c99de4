/**
 * `createClient({ baseUrl, fetch, auth })`: typed calls for the server API, responses validated at runtime
 * with the protocol schemas. No module-level state: a program may talk to several servers at once.
 * The sync engine (backup plans, hash cache, resumable uploads) builds on this in later work.
 */
import {
  DeleteAccountResponse,
  DeleteFileResponse,
  FileListResponse,
  HaveFilesResponse,
  Health,
  LibraryStats,
  LoginResponse,
  MessageBody,
  PurgeFilesResponse,
  RegisterResponse,
  UploadResponse,
} from '@photosync/protocol';
import { accountApi, adminApi, pairingApi } from './account-api.ts';
import { HttpTransport, type Body, type TransportOptions } from './http-transport.ts';
import { mediaApi } from './media-api.ts';
import { vaultApi } from './vault-api.ts';

export interface UploadOptions {
  readonly filename: string;
  /** Media type of the file; the server guesses from the extension when absent. */
  readonly mediaType?: string;
  /** Lowercase hex SHA-256 of the body; the server refuses (400) and stores nothing on mismatch. */
  readonly sha256?: string;
  readonly signal?: AbortSignal;
}

export interface ByteRequest {
  /** Inclusive byte range to fetch. */
  readonly range?: { readonly start: number; readonly end?: number };
  readonly ifNoneMatch?: string;
  readonly signal?: AbortSignal;
}

export type PhotoSyncClient = ReturnType<typeof createClient>;

const filePath = (filename: string): string => `/api/files/${encodeURIComponent(filename)}`;

export function createClient(options: TransportOptions) {
  const http = new HttpTransport(options);
  return {
    health: () => http.json(Health, { method: 'GET', path: '/health', auth: false }),

    register: (input: { email: string; password: string; deviceUuid?: string; hardwareDeviceId?: string }) =>
      http.json(RegisterResponse, {
        method: 'POST',
        path: '/api/register',
        auth: false,
        json: {
          email: input.email,
          password: input.password,
          device_uuid: input.deviceUuid,
          hardware_device_id: input.hardwareDeviceId,
        },
      }),

    login: (input: { email: string; password: string; deviceUuid: string; deviceName?: string }) =>
      http.json(LoginResponse, {
        method: 'POST',
        path: '/api/login',
        auth: false,
        json: {
          email: input.email,
          password: input.password,
          device_uuid: input.deviceUuid,
          device_name: input.deviceName,
        },
      }),

    resetPasswordFromDevice: (input: { email: string; hardwareDeviceId: string; newPassword: string }) =>
      http.json(MessageBody, {
        method: 'POST',
        path: '/api/reset-password-device',
        auth: false,
        json: { email: input.email, hardware_device_id: input.hardwareDeviceId, newPassword: input.newPassword },
      }),

    deleteAccount: () => http.json(DeleteAccountResponse, { method: 'DELETE', path: '/api/account' }),

    /**
     * Upload one file as a raw body: bytes, a ReadableStream, or a `SizedBody` streamed with its
     * Content-Length by the platform's sender. Idempotent by content.
     */
    upload: (body: Body, upload: UploadOptions) =>
      http.json(UploadResponse, {
        method: 'POST',
        path: '/api/upload/raw',
        body,
        headers: {
          'x-filename': encodeURIComponent(upload.filename),
          'content-type': upload.mediaType ?? 'application/octet-stream',
          ...(upload.sha256 ? { 'x-content-sha256': upload.sha256 } : {}),
        },
        ...(upload.signal ? { signal: upload.signal } : {}),
      }),

    listFiles: (page: { offset?: number; limit?: number } = {}) =>
      http.json(FileListResponse, {
        method: 'GET',
        path: '/api/files',
        query: { offset: page.offset, limit: page.limit },
      }),

    /** The raw response of a download: status 200/206/304, headers and a body stream. */
    download: (filename: string, request: ByteRequest = {}) => {
      const headers: Record<string, string> = {};
      if (request.range) headers['range'] = `bytes=${request.range.start}-${request.range.end ?? ''}`;
      if (request.ifNoneMatch) headers['if-none-match'] = request.ifNoneMatch;
      return http.send({
        method: 'GET',
        path: filePath(filename),
        headers,
        ...(request.signal ? { signal: request.signal } : {}),
      });
    },

    purgeFiles: () => http.json(PurgeFilesResponse, { method: 'POST', path: '/api/files/purge' }),

    deleteFile: (filename: string) =>
      http.json(DeleteFileResponse, { method: 'DELETE', path: `/api/v2/files/${encodeURIComponent(filename)}` }),

    libraryStats: () => http.json(LibraryStats, { method: 'GET', path: '/api/v2/library/stats' }),

    /** Which of these SHA-256s (at most 10,000 per call) the library already stores, and under which name. */
    haveFiles: (sha256s: readonly string[]) =>
      http.json(HaveFilesResponse, { method: 'POST', path: '/api/v2/library/have', json: { sha256s } }),

    /** Where resumable (tus 1.0) uploads go, with this client's fetch and auth headers (see sync/tus-upload.ts). */
    resumableUploads: () => http.endpoint('/api/v2/tus'),

    /** StealthCloud store calls. */
    vault: vaultApi(http),

    /** The signed-in account: password, devices, media tickets. */
    account: accountApi(http),

    /** Phone pairing: create a code (signed in), redeem it (the phone). */
    pairing: pairingApi(http),

    /** Administrator calls. */
    admin: adminApi(http),

    /** Timeline, month buckets, metadata, thumbnails and previews. */
    media: mediaApi(http),
  };
}
