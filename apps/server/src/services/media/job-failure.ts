/**
 * How a media job ends badly: a reason written for the person reading the admin page, and whether trying again
 * later could help (a busy or full disk, too many open files) or not (a corrupt or enormous image).
 */

export class JobFailure extends Error {
  override readonly name = 'JobFailure';
  constructor(
    readonly reason: string,
    readonly transient = false,
  ) {
    super(reason);
  }
}

/** Error codes of conditions that pass: worth a retry with back-off. */
const TRANSIENT_CODES = new Set([
  'EAGAIN',
  'EBUSY',
  'EMFILE',
  'ENFILE',
  'ENOMEM',
  'ENOSPC',
  'EDQUOT',
  'ETIMEDOUT',
  'SQLITE_BUSY',
  'SQLITE_FULL',
]);

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Classify anything a job threw. */
export function toJobFailure(error: unknown): JobFailure {
  if (error instanceof JobFailure) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) {
    return new JobFailure(`Temporary problem (${code}): ${messageOf(error)}`, true);
  }
  return new JobFailure(`Unexpected error: ${messageOf(error)}`);
}

/** The reason to record when a photo cannot be decoded. */
export function decodeFailure(error: unknown): JobFailure {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return toJobFailure(error);
  const message = messageOf(error).split('\n')[0]?.slice(0, 300) ?? '';
  if (/pixel limit/i.test(message)) return new JobFailure(`The image is too large to preview: ${message}`);
  return new JobFailure(`The image could not be decoded (corrupt, truncated or unsupported): ${message}`);
}
