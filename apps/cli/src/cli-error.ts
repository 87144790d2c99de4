/** Errors the CLI reports as one clear line with a chosen exit code. */
import { ApiError } from '@photosync/client';

/** Exit codes: 1 generic failure, 2 usage, 3 cannot reach the server, 4 authentication, 5 storage full/quota. */
export const EXIT = { failure: 1, usage: 2, unreachable: 3, auth: 4, storage: 5 } as const;

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

/** A person-readable sentence for any error, without stack traces. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401 || error.status === 403) return `${error.message} (run \`photosync login\` again)`;
    return `${error.message}${error.code ? ` [${error.code}]` : ''}`;
  }
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  if (cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND' || cause?.code === 'EHOSTUNREACH') {
    return `cannot reach the server (${cause.code}); check the address and that the server is running`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Map an error to the exit code a script can branch on. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ApiError) {
    if (error.status === 401 || error.status === 403) return EXIT.auth;
    if (error.status === 413 || error.status === 507) return EXIT.storage;
  }
  return EXIT.failure;
}
