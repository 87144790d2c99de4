/** The administrator's view of the server (ours): version and storage per store. */
import { z } from 'zod';

export const StoreUsage = z.object({
  usedBytes: z.number().int().describe('Bytes the accounts store here'),
  freeBytes: z.number().int().nullable().describe('Free bytes where the store writes; null when unknown'),
  totalBytes: z.number().int().nullable(),
});
export type StoreUsage = z.infer<typeof StoreUsage>;

export const ServerOverview = z.object({
  version: z.string().describe('Server version (package.json)'),
  storage: z.object({ library: StoreUsage, vault: StoreUsage }),
});
export type ServerOverview = z.infer<typeof ServerOverview>;
