/**
 * The closed set of domain errors. Services throw only these; `http/error-handler.ts` maps them
 * to HTTP statuses and to the body shapes of docs/api-conventions.md, "Errors".
 */
export interface ErrorIssue {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind:
    | 'validation'
    | 'not_found'
    | 'conflict'
    | 'forbidden'
    | 'unauthorized'
    | 'limit'
    | 'rule'
    | 'rate_limited'
    | 'unavailable';
  /** Extra JSON merged into the response body (e.g. the current copy on a version conflict). */
  readonly details: Record<string, unknown> | undefined;
  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** Invalid input: one entry per problem, each with the JSON path of the offending value. */
export class ValidationError extends DomainError {
  readonly kind = 'validation';
  readonly issues: ErrorIssue[];
  constructor(issues: ErrorIssue[]) {
    super(issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; '));
    this.issues = issues;
  }
  static single(path: string, message: string): ValidationError {
    return new ValidationError([{ path, message }]);
  }
}

/** A business rule refused the request (400 with a stable `code`, e.g. personalize.PROJECTS.X). */
export class RuleViolationError extends DomainError {
  readonly kind = 'rule';
  constructor(
    readonly code: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(message, details);
  }
}

/** A configured limit was reached (400, Contentstack's MAX_*_COUNT_EXCEEDED codes). */
export class LimitExceededError extends DomainError {
  readonly kind = 'limit';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A stale version, a duplicate, or a still-referenced resource (409). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly code: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(message, details);
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(
    readonly code: string,
    message = 'You do not have permission to do this.',
  ) {
    super(message);
  }
}

export class UnauthorizedError extends DomainError {
  readonly kind = 'unauthorized';
  constructor(
    readonly code = 'personalize.AUTH.UNAUTHORIZED',
    message = "You're not allowed in here unless you're logged in.",
  ) {
    super(message);
  }
}

/** Temporarily unable to take the request, through no fault of it (503 with a Retry-After). */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Too many attempts of something guarded (429 with a Retry-After), e.g. failed log-ins. */
export class RateLimitedError extends DomainError {
  readonly kind = 'rate_limited';
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
