/**
 * Resumable uploads: tus 1.0 (https://tus.io/protocols/resumable-upload) at /api/v2/tus, with the core
 * protocol plus the creation, creation-with-upload and termination extensions. Not zod-shaped JSON, so the
 * contract is written down as headers. When the last byte arrives the server checks the declared SHA-256 and
 * stores the file in the library exactly like `POST /api/upload/raw`.
 */
import { ResumableUploadHeaders, ResumableUploadParams } from '../library.ts';
import type { RouteSpec } from '../route-spec.ts';
import { authErrors, error } from './shared.ts';

const tag = 'v2: resumable uploads' as const;
const tusResumable = { 'Tus-Resumable': { description: 'Must be `1.0.0`', required: true } };
const notFound = error(
  'No such upload for this account: never created, created by another account, finished, ' + 'terminated or expired',
);
const finishing = error('The last byte arrived and the file is being stored (UPLOAD_FINISHING); ask again shortly');

export const resumableUploadRoutes: readonly RouteSpec[] = [
  {
    method: 'options',
    path: '/api/v2/tus',
    summary: 'tus discovery: version, extensions, largest upload',
    tag,
    auth: false,
    responses: {
      204: {
        description: 'What the server supports',
        headers: {
          'Tus-Version': { description: '`1.0.0`' },
          'Tus-Extension': { description: '`creation,creation-with-upload,termination`' },
          'Tus-Max-Size': { description: 'MAX_UPLOAD_SIZE in bytes' },
        },
      },
    },
  },
  {
    method: 'post',
    path: '/api/v2/tus',
    summary: 'Create a resumable upload',
    description:
      'The upload belongs to the calling account; other accounts get 404 for it. Upload-Metadata (tus: comma ' +
      'separated `key base64(value)` pairs) must carry `filename` and `sha256` (hex); `filetype` is optional. ' +
      'A body with `Content-Type: application/offset+octet-stream` may carry the first bytes ' +
      '(creation-with-upload). A partial upload that receives no bytes for TUS_EXPIRY_HOURS (default 24) is ' +
      'deleted.',
    tag,
    auth: true,
    headers: {
      ...tusResumable,
      'Upload-Length': { description: 'Size of the whole file in bytes (1 to MAX_UPLOAD_SIZE)', required: true },
      'Upload-Metadata': { description: '`filename <base64>,sha256 <base64>[,filetype <base64>]`', required: true },
    },
    responses: {
      201: {
        description: 'Created',
        headers: {
          Location: { description: 'The upload URL, relative to the server: `/api/v2/tus/{id}`', required: true },
          'Upload-Offset': { description: 'Bytes stored so far (with creation-with-upload)' },
        },
      },
      ...authErrors,
      400: error(
        'Missing or invalid Upload-Length, Upload-Metadata, filename or sha256, an empty file, deferred length',
      ),
      412: { description: 'Tus-Resumable missing or not 1.0.0 (tus text body)' },
      413: error('Upload-Length larger than MAX_UPLOAD_SIZE'),
    },
  },
  {
    method: 'head',
    path: '/api/v2/tus/{id}',
    summary: 'How many bytes of an upload the server has',
    description: 'Resume by sending the rest from Upload-Offset. Never cached.',
    tag,
    auth: true,
    params: ResumableUploadParams,
    headers: tusResumable,
    responses: {
      200: {
        description: 'The upload (no body)',
        headers: {
          'Upload-Offset': { description: 'Bytes stored so far', required: true },
          'Upload-Length': { description: 'Size of the whole file', required: true },
          'Upload-Metadata': { description: 'As sent at creation' },
        },
      },
      ...authErrors,
      404: notFound,
      409: finishing,
    },
  },
  {
    method: 'patch',
    path: '/api/v2/tus/{id}',
    summary: 'Send bytes of an upload from Upload-Offset',
    description:
      'The bytes received are kept even if the connection drops, so the next PATCH continues from the offset ' +
      'HEAD reports. When the last byte arrives the server hashes the file: a SHA-256 other than the declared ' +
      'one answers 400 `SHA256_MISMATCH` and removes the upload (nothing stored). Otherwise the file enters ' +
      'the library exactly like `POST /api/upload/raw` (durable before the answer, identical content is a ' +
      'duplicate, a taken name gives `name (n).ext`) and the upload URL is gone afterwards (404). Safe to ' +
      'retry: the content hash makes a repeated upload a duplicate, never a second copy.',
    tag,
    auth: true,
    params: ResumableUploadParams,
    headers: {
      ...tusResumable,
      'Upload-Offset': { description: 'Where these bytes start; must equal the stored offset', required: true },
      'Content-Type': { description: 'Must be `application/offset+octet-stream`', required: true },
    },
    body: { kind: 'binary', description: 'The next bytes of the file' },
    responses: {
      204: {
        description: 'Stored; on the completing PATCH the file is in the library',
        headers: {
          'Upload-Offset': { description: 'Bytes stored so far', required: true },
          [ResumableUploadHeaders.filename]: {
            description: 'Completing PATCH only: the stored name, percent-encoded (decodeURIComponent)',
          },
          [ResumableUploadHeaders.duplicate]: {
            description: 'Completing PATCH only: `true` when identical content was already stored (nothing new)',
          },
          [ResumableUploadHeaders.sha256]: { description: 'Completing PATCH only: SHA-256 of the stored content' },
        },
      },
      ...authErrors,
      400: error('SHA256_MISMATCH (upload removed, nothing stored), EMPTY_FILE, INVALID_FILENAME'),
      404: notFound,
      409: error('Upload-Offset differs from the stored offset (tus text body), or UPLOAD_FINISHING'),
      413: { description: 'More bytes than Upload-Length (tus text body)' },
      507: error('Disk full (upload removed, nothing stored)'),
    },
  },
  {
    method: 'delete',
    path: '/api/v2/tus/{id}',
    summary: 'Abandon an upload and free its space (tus termination)',
    tag,
    auth: true,
    params: ResumableUploadParams,
    headers: tusResumable,
    responses: { 204: { description: 'Removed' }, ...authErrors, 404: notFound, 409: finishing },
  },
];
