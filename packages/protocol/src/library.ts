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
