/**
 * Typed domain errors. Services throw these; the one HTTP error mapper (http/error-handler.ts) turns them
 * into `{error, code}` with `status`. Messages are written for the person who will read them.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /** Extra JSON fields sent with the error (compatibility `hint`, quota figures, ...). */
  readonly details: Readonly<Record<string, unknown>>;
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class BadRequest extends DomainError {
  readonly status = 400;
  readonly code: string;
  constructor(message: string, code = 'BAD_REQUEST', details: Record<string, unknown> = {}) {
    super(message, details);
    this.code = code;
  }
}
export class Unauthenticated extends DomainError {
  readonly status = 401;
  readonly code: string;
  constructor(message: string, code = 'UNAUTHENTICATED') {
    super(message);
    this.code = code;
  }
}
export class Forbidden extends DomainError {
  readonly status = 403;
  readonly code: string;
  constructor(message: string, code = 'FORBIDDEN', details: Record<string, unknown> = {}) {
    super(message, details);
    this.code = code;
  }
}
export class NotFound extends DomainError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
}
export class Conflict extends DomainError {
  readonly status = 409;
  readonly code: string;
  constructor(message: string, code = 'CONFLICT') {
    super(message);
    this.code = code;
  }
}
export class PayloadTooLarge extends DomainError {
  readonly status = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
}
export class RangeNotSatisfiable extends DomainError {
  readonly status = 416;
  readonly code = 'RANGE_NOT_SATISFIABLE';
  constructor(readonly size: number) {
    super('Requested range not satisfiable');
  }
}
export class TooManyRequests extends DomainError {
  readonly status = 429;
  readonly code = 'RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${retryAfterSeconds} seconds.`);
  }
}
export class InsufficientStorage extends DomainError {
  readonly status = 507;
  readonly code = 'INSUFFICIENT_STORAGE';
}
