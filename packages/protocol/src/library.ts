/** Plain ("Local"/"Remote") library routes (PROTOCOL.md §3) and our v2 additions. */
import { z } from 'zod';

export const Sha256Hex = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'Expected 64 hexadecimal characters')
  .transform((value) => value.toLowerCase());

export const UploadResponse = z.object({
  message: z.string(),
  filename: z.string().describe('The name the file is stored under (may differ from the name sent)'),
  duplicate: z.literal(true).optional().describe('Present when identical content was already stored'),
  sha256: z.string().optional().describe('SHA-256 of the stored content (our addition)'),
  size: z.number().int().optional().describe('Stored size in bytes (our addition)'),
});
export type UploadResponse = z.infer<typeof UploadResponse>;

export const FileEntry = z.object({
  filename: z.string(),
  size: z.number().int(),
  created_at: z.string().describe('ISO 8601 time the server stored the file'),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const FileListResponse = z.object({ files: z.array(FileEntry), total: z.number().int() });
export type FileListResponse = z.infer<typeof FileListResponse>;

export const FilenameParams = z.object({ filename: z.string() });

export const PurgeFilesResponse = z.object({
  ok: z.literal(true),
  deleted: z.object({ files: z.number().int() }),
});
export type PurgeFilesResponse = z.infer<typeof PurgeFilesResponse>;

export const DeleteFileResponse = z.object({ deleted: z.literal(true), filename: z.string() });
export type DeleteFileResponse = z.infer<typeof DeleteFileResponse>;

export const LibraryStats = z.object({
  count: z.number().int().describe('Files in the library'),
  bytes: z.number().int().describe('Sum of their sizes'),
});
export type LibraryStats = z.infer<typeof LibraryStats>;

export const HaveFilesRequest = z.object({
  sha256s: z.array(Sha256Hex).min(1).max(10_000).describe('SHA-256s (hex, either case) of files the client has'),
});
export type HaveFilesRequest = z.infer<typeof HaveFilesRequest>;

export const HaveFilesResponse = z.object({
  have: z
    .array(z.object({ sha256: z.string(), filename: z.string().describe('The name the content is stored under') }))
    .describe('Requested hashes the account already stores'),
  missing: z.array(z.string()).describe('Requested hashes the account does not store'),
});
export type HaveFilesResponse = z.infer<typeof HaveFilesResponse>;

/** `Upload-Length` of a resumable upload: the whole file size in bytes, at least 1. */
export const ResumableUploadLength = z
  .string()
  .regex(/^\d{1,16}$/, 'Upload-Length must be a whole number of bytes')
  .transform(Number)
  .refine((bytes) => Number.isSafeInteger(bytes) && bytes > 0, 'Upload-Length must be at least 1 byte');

/** The decoded `Upload-Metadata` of a resumable upload (tus 1.0: base64 values, decoded by the server). */
export const ResumableUploadMetadata = z.object({
  filename: z.string().min(1).describe('File name; stored like X-Filename (sanitised, `name (n).ext` on a clash)'),
  sha256: Sha256Hex.describe('SHA-256 of the whole file; checked when the last byte arrives'),
  filetype: z.string().optional().describe('Media type; guessed from the extension when absent'),
});
export type ResumableUploadMetadata = z.infer<typeof ResumableUploadMetadata>;

export const ResumableUploadParams = z.object({
  id: z.string().describe('The last segment of the Location given at creation'),
});

/** Headers on the response to the PATCH that completes a resumable upload. */
export const ResumableUploadHeaders = {
  filename: 'X-PhotoSync-Filename',
  duplicate: 'X-PhotoSync-Duplicate',
  sha256: 'X-PhotoSync-Sha256',
} as const;
