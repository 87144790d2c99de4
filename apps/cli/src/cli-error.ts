/** Errors the CLI reports as one clear line with a chosen exit code. */
import { ApiError } from '@photosync/client/library';

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
  const unreachable = unreachableCode(error);
  if (unreachable) return `cannot reach the server (${unreachable}); check the address and that the server is running`;
  return error instanceof Error ? error.message : String(error);
}

/** Map an error to the exit code a script can branch on. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (unreachableCode(error)) return EXIT.unreachable;
  if (error instanceof ApiError) {
    if (error.status === 401 || error.status === 403) return EXIT.auth;
    if (error.status === 413 || error.status === 507) return EXIT.storage;
  }
  return EXIT.failure;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETIMEDOUT']);

/** The socket error code when `error` is fetch failing to connect at all (no HTTP answer), else undefined. */
function unreachableCode(error: unknown): string | undefined {
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' && UNREACHABLE.has(code) ? code : undefined;
}
