/** Field path → messages, as the server's validation errors carry them (docs/api-conventions.md, "Errors"). */
export type FieldErrors = Record<string, string[]>;

/**
 * Every failed request becomes one of these, so screens branch on `status` and `code`
 * instead of re-parsing bodies.
 */
export class ApiError extends Error {
  readonly status: number;
  /** Stable business code such as `personalize.PROJECTS.DUPLICATE_NAME`, when the server sent one. */
  readonly code: string | undefined;
  readonly fieldErrors: FieldErrors;
  /** Seconds to wait before retrying, for 429 answers. */
  readonly retryAfterSeconds: number | undefined;
  /** The parsed response body: some errors carry details screens need (a 409's `current` or `references`). */
  readonly body: unknown;

  constructor(init: {
    status: number;
    message: string;
    code?: string | undefined;
    fieldErrors?: FieldErrors;
    retryAfterSeconds?: number | undefined;
    body?: unknown;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.fieldErrors = init.fieldErrors ?? {};
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.body = init.body;
  }

  /** First message for a field path, for showing under the matching input. */
  fieldError(path: string): string | undefined {
    return Object.hasOwn(this.fieldErrors, path) ? this.fieldErrors[path]?.[0] : undefined;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseFieldErrors(value: unknown): FieldErrors {
  // Paths come from what the user typed (an attribute key `constructor`): no prototype to collide with.
  const result = Object.create(null) as FieldErrors;
  if (!isRecord(value)) return result;
  for (const [path, messages] of Object.entries(value)) {
    const list = Array.isArray(messages) ? messages : [messages];
    result[path] = list.filter((m): m is string => typeof m === 'string');
  }
  return result;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (header == null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  // Retry-After may also be an HTTP date.
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

const fallbackMessages: Record<number, string> = {
  401: 'Your session has ended. Please log in again.',
  403: "You don't have access",
  404: 'Not found',
  409: 'This conflicts with the current state. Reload and try again.',
  413: 'The request is too large.',
};

/** Turns a non-2xx response (status, headers and already-parsed body) into an ApiError. */
export function toApiError(status: number, headers: Headers, body: unknown): ApiError {
  const retryAfterSeconds = parseRetryAfter(headers.get('retry-after'));
  const record = isRecord(body) ? body : {};
  const code = typeof record.error === 'string' ? record.error : undefined;
  const fieldErrors = parseFieldErrors(record.errors);
  const serverMessage = typeof record.message === 'string' ? record.message : undefined;

  let message: string;
  if (status === 429) {
    // The wait time matters more to the user than the server's wording.
    message =
      retryAfterSeconds !== undefined
        ? `Too many attempts, try again in ${retryAfterSeconds} s`
        : (serverMessage ?? 'Too many attempts, try again later');
  } else if (status === 403) {
    message = fallbackMessages[403] ?? 'Forbidden';
  } else if (serverMessage) {
    message = serverMessage;
  } else if (Object.keys(fieldErrors).length > 0) {
    message = Object.entries(fieldErrors)
      .map(([path, messages]) => `${path}: ${messages.join(', ')}`)
      .join('; ');
  } else {
    message = fallbackMessages[status] ?? `Request failed (${status})`;
  }
  return new ApiError({ status, message, code, fieldErrors, retryAfterSeconds, body });
}
