import { UnavailableError } from '../shared/errors.js';

export const DATABASE_UNAVAILABLE = 'personalize.DATABASE_UNAVAILABLE';

/** A PostgreSQL restart or failover takes seconds; asking again sooner only adds load as it comes back. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Node's socket codes and PostgreSQL's SQLSTATEs that mean "the server cannot be talked to right
 * now", with the words `/readyz` and the logs use for them. A fixed vocabulary: a driver's own
 * message may name the host or the user, and is never shown.
 */
const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection lost',
  EPIPE: 'connection lost',
  ECONNABORTED: 'connection lost',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'host unreachable',
  ENOTFOUND: 'host name not resolved',
  EAI_AGAIN: 'host name not resolved',
  '57P01': 'server shutting down',
  '57P02': 'server shutting down',
  '57P03': 'server starting up or shutting down',
  '08000': 'connection failed',
  '08001': 'connection failed',
  '08003': 'connection lost',
  '08004': 'connection rejected',
  '08006': 'connection lost',
};

/** pg raises these as plain Errors without a code. */
const CONNECTION_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/^Connection terminated/, 'connection lost'],
  [/^timeout exceeded when trying to connect/, 'connection timed out'],
  [/^Client has encountered a connection error and is not queryable/, 'connection lost'],
];

/** Failures that are no outage, but that an operator reading `/readyz` needs named. */
const OTHER_CODES: Record<string, string> = {
  '28000': 'authentication failed',
  '28P01': 'authentication failed',
  '3D000': 'database does not exist',
  '53300': 'too many connections',
};

/** The error, its causes and, for Node's AggregateError of a multi-address connect, each attempt. */
function* chain(error: unknown, depth = 0): Generator<{ code?: unknown; message?: unknown }> {
  if (depth > 5 || typeof error !== 'object' || error === null) return;
  yield error as { code?: unknown; message?: unknown };
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (cause !== undefined) yield* chain(cause, depth + 1);
  if (Array.isArray(errors)) for (const inner of errors) yield* chain(inner, depth + 1);
}

function connectionFailure(error: unknown): string | undefined {
  for (const link of chain(error)) {
    const byCode = typeof link.code === 'string' ? CONNECTION_CODES[link.code] : undefined;
    if (byCode !== undefined) return byCode;
    const message = typeof link.message === 'string' ? link.message : '';
    for (const [pattern, words] of CONNECTION_MESSAGES) if (pattern.test(message)) return words;
  }
  return undefined;
}

/** True when the error says the database cannot be reached, not that the query or its data was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return connectionFailure(error) !== undefined;
}

/** A few words on why a database call failed, safe to show and log (no host, user or password). */
export function describeDatabaseFailure(error: unknown): string {
  const connection = connectionFailure(error);
  if (connection !== undefined) return connection;
  for (const link of chain(error)) {
    const other = typeof link.code === 'string' ? OTHER_CODES[link.code] : undefined;
    if (other !== undefined) return other;
  }
  return 'query failed';
}

/** What a request gets while the database cannot be reached: a 503 to retry, not a 500. */
export function databaseUnavailableError(error: unknown): UnavailableError {
  return new UnavailableError(
    DATABASE_UNAVAILABLE,
    `The database cannot be reached at the moment (${describeDatabaseFailure(error)}); retry in ${DATABASE_RETRY_AFTER_SECONDS} s.`,
    DATABASE_RETRY_AFTER_SECONDS,
  );
}
