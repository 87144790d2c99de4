/** Shapes shared by every route: the error body and paging. */
import { z } from 'zod';

/** Every error the server sends: a human message plus a stable machine code. */
export const ErrorBody = z
  .object({
    error: z.string().describe('Human-readable message'),
    code: z.string().optional().describe('Stable machine-readable code, e.g. RATE_LIMITED'),
    hint: z.string().optional(),
  })
  .describe('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;

const nonNegativeInt = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** `?offset=&limit=`; limit absent or 0 means "all" (compatibility). */
export const PageQuery = z.object({
  offset: nonNegativeInt.optional().describe('Items to skip (default 0)'),
  limit: nonNegativeInt.optional().describe('Page size; absent or 0 means all'),
});
export type PageQuery = z.infer<typeof PageQuery>;

export const Health = z.object({ ok: z.literal(true) });

export const MessageBody = z.object({ message: z.string() });
