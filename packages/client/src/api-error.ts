/** The error every client call throws for a non-2xx answer: status plus the server's `{error, code}`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** The server answered, but not in the shape the protocol promises. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}
