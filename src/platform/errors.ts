/**
 * The few errors a use case may throw, each with a stable `code` that tests and API clients rely on.
 * The page and API error handlers turn them into the right status and page; anything else is a 500.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message ?? code);
    this.name = new.target.name;
  }
}

/** The input broke a rule that only the service can check (the form's own checks come first). */
export class InvalidInput extends DomainError {
  readonly status = 400;
  constructor(
    code: string,
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(code, Object.values(fieldErrors)[0] ?? code);
  }
}

/** No such record, or one the actor may not know exists: the two must look the same (A3). */
export class NotFound extends DomainError {
  readonly status = 404;
}

/** The actor is known but their role does not allow this. */
export class Forbidden extends DomainError {
  readonly status = 403;
}

/** Someone else changed the record since it was loaded (a stale version), or a duplicate. */
export class Conflict extends DomainError {
  readonly status = 409;
}

/** Too many attempts: the actor must wait. */
export class TooManyAttempts extends DomainError {
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super('too_many_attempts');
  }
}
