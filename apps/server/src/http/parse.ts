/** Parse request input with a protocol schema; failures become a 400 with a message a person can act on. */
import type { z } from 'zod';
import { BadRequest } from '../services/errors.ts';

export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  message?: string,
  code = 'VALIDATION_ERROR',
): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new BadRequest(message ?? `${where}${issue?.message ?? 'Invalid input'}`, code);
}
