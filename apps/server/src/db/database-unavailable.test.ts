import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../shared/errors.js';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE, databaseUnavailableError, describeDatabaseFailure, isDatabaseUnavailable } from './database-unavailable.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('database unavailability', () => {
  it.each([
    ['ECONNREFUSED', 'connection refused'],
    ['ECONNRESET', 'connection lost'],
    ['ETIMEDOUT', 'connection timed out'],
    ['EPIPE', 'connection lost'],
    ['ENOTFOUND', 'host name not resolved'],
    ['EAI_AGAIN', 'host name not resolved'],
    ['57P01', 'server shutting down'],
    ['57P02', 'server shutting down'],
    ['57P03', 'server starting up or shutting down'],
    ['08000', 'connection failed'],
    ['08001', 'connection failed'],
    ['08003', 'connection lost'],
    ['08004', 'connection rejected'],
    ['08006', 'connection lost'],
  ])('counts code %s as the database being unreachable (%s)', (code, words) => {
    expect(isDatabaseUnavailable(withCode(code))).toBe(true);
    expect(describeDatabaseFailure(withCode(code))).toBe(words);
  });

  it.each([
    ['Connection terminated unexpectedly', 'connection lost'],
    ['Connection terminated due to connection timeout', 'connection lost'],
    ['timeout exceeded when trying to connect', 'connection timed out'],
    ['Client has encountered a connection error and is not queryable', 'connection lost'],
  ])('recognizes pg\'s uncoded "%s"', (message, words) => {
    expect(isDatabaseUnavailable(new Error(message))).toBe(true);
    expect(describeDatabaseFailure(new Error(message))).toBe(words);
  });

  it('looks through causes and the attempts of a multi-address connect', () => {
    expect(isDatabaseUnavailable(new Error('query failed', { cause: withCode('ECONNRESET') }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed'))).toBe(true);
  });

  it('does not count errors of the query or its data', () => {
    expect(isDatabaseUnavailable(withCode('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isDatabaseUnavailable(withCode('42P01', 'relation "x" does not exist'))).toBe(false);
    expect(isDatabaseUnavailable(withCode('SQLITE_CONSTRAINT_FOREIGNKEY'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('Connection refused by policy'))).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  it('names other failures in fixed words, never with the driver\'s message', () => {
    expect(describeDatabaseFailure(withCode('28P01', 'password authentication failed for user "tailor"'))).toBe('authentication failed');
    expect(describeDatabaseFailure(withCode('ENOTFOUND', 'getaddrinfo ENOTFOUND db.internal.example'))).toBe('host name not resolved');
    expect(describeDatabaseFailure(new Error('postgres://tailor:secret@db/tailor is broken'))).toBe('query failed');
  });

  it('turns into a retryable 503 error with a stable code', () => {
    const error = databaseUnavailableError(withCode('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:5432'));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ code: DATABASE_UNAVAILABLE, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
    expect(error.message).toBe(`The database cannot be reached at the moment (connection refused); retry in ${DATABASE_RETRY_AFTER_SECONDS} s.`);
  });
});
