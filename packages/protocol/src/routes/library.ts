/** Plain library routes: compatibility (PROTOCOL.md §3) and our v2 additions. */
import { PageQuery } from '../common.ts';
import {
  DeleteFileResponse,
  FileListResponse,
  FilenameParams,
  HaveFilesRequest,
  HaveFilesResponse,
  LibraryStats,
  PurgeFilesResponse,
  UploadResponse,
} from '../library.ts';
import type { RouteSpec } from '../route-spec.ts';
import { authErrors, error } from './shared.ts';

const uploadErrors = {
  ...authErrors,
  400: error('No file, missing name, invalid name, or X-Content-SHA256 mismatch (nothing stored)'),
  413: error('Larger than MAX_UPLOAD_SIZE (nothing stored)'),
  500: error('I/O error (nothing stored)'),
  507: error('Disk full (nothing stored)'),
};
const uploadHeaders = {
  'X-Content-SHA256': { description: 'Optional SHA-256 (hex) of the body; a mismatch stores nothing and answers 400' },
};
const uploadDescription =
  'Streamed to disk while hashed; answered only once the bytes and the index entry are durable. ' +
  'Identical content already stored → `duplicate: true` and the stored name. A different file whose name is ' +
  'taken is stored as `name (1).ext`, `name (2).ext`, ...; the reply says the stored name. Idempotent by content: ' +
  'retrying an upload never stores it twice.';

export const libraryRoutes: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/api/upload',
    summary: 'Upload one file (multipart)',
    description: uploadDescription,
    tag: 'compat: library',
    auth: true,
    body: { kind: 'multipart', field: 'file', description: 'The file; its part filename is the file name' },
    headers: uploadHeaders,
    responses: { 200: { description: 'Stored or duplicate', schema: UploadResponse }, ...uploadErrors },
  },
  {
    method: 'post',
    path: '/api/upload/raw',
    summary: 'Upload one file (raw body)',
    description: `${uploadDescription} UTF-8 names may be sent raw or percent-encoded.`,
    tag: 'compat: library',
    auth: true,
    body: { kind: 'binary', description: 'The file bytes; Content-Type is the media type' },
    headers: {
      ...uploadHeaders,
      'X-Filename': { description: 'File name (or X-File-Name)', required: true },
    },
    responses: { 200: { description: 'Stored or duplicate', schema: UploadResponse }, ...uploadErrors },
  },
  {
    method: 'get',
    path: '/api/files',
    summary: 'List files in name order',
    description: 'Answered from the index; cost does not grow with the library size.',
    tag: 'compat: library',
    auth: true,
    query: PageQuery,
    responses: { 200: { description: 'One page', schema: FileListResponse }, ...authErrors },
  },
  {
    method: 'get',
    path: '/api/files/{filename}',
    summary: 'Download a file',
    description: 'Supports Range (206/416), ETag (SHA-256) with If-None-Match (304) and If-Range.',
    tag: 'compat: library',
    auth: true,
    params: FilenameParams,
    responses: {
      200: { description: 'The bytes, Content-Disposition: attachment', content: 'binary' },
      206: { description: 'The requested range', content: 'binary' },
      304: { description: 'Not modified' },
      404: error('File not found'),
      416: error('Range not satisfiable'),
      ...authErrors,
    },
  },
  {
    method: 'post',
    path: '/api/files/purge',
    summary: 'Delete every file of the account',
    tag: 'compat: library',
    auth: true,
    responses: { 200: { description: 'Purged', schema: PurgeFilesResponse }, ...authErrors },
  },
  {
    method: 'delete',
    path: '/api/v2/files/{filename}',
    summary: 'Delete one file',
    tag: 'v2: library',
    auth: true,
    params: FilenameParams,
    responses: {
      200: { description: 'Deleted', schema: DeleteFileResponse },
      404: error('File not found'),
      ...authErrors,
    },
  },
  {
    method: 'get',
    path: '/api/v2/library/stats',
    summary: 'Number of files and bytes in the library',
    tag: 'v2: library',
    auth: true,
    responses: { 200: { description: 'Totals', schema: LibraryStats }, ...authErrors },
  },
  {
    method: 'post',
    path: '/api/v2/library/have',
    summary: 'Which of these files (by SHA-256) the library already has (up to 10,000)',
    description:
      'Answered from the index in one request. Each distinct hash appears once, lowercase, in request order, ' +
      'in exactly one of `have` (with the name it is stored under) or `missing`. Only the calling account is ' +
      'consulted. Read-only, so safe to retry.',
    tag: 'v2: library',
    auth: true,
    body: { kind: 'json', schema: HaveFilesRequest },
    responses: { 200: { description: 'Split into have / missing', schema: HaveFilesResponse }, ...authErrors },
  },
];
