import { z } from 'zod';

/** 24-character lowercase hex uid (docs/api-conventions.md, "Identifiers and shapes"). */
export const Uid = z.string().regex(/^[0-9a-f]{24}$/, 'Expected a 24-character lowercase hex uid');

/** ISO-8601 UTC timestamp with milliseconds. */
export const Timestamp = z.string();

/** Audit fields every resource carries (docs/api-conventions.md, "Identifiers and shapes"). */
export const AuditFields = z.object({
  createdAt: Timestamp,
  updatedAt: Timestamp,
  createdBy: z.string(),
  updatedBy: z.string(),
  createdByUserName: z.string(),
  updatedByUserName: z.string(),
});

/** Business-rule error body: `{"error":"personalize.<RESOURCE>.<CODE>","message":"…"}` plus optional details. */
export const BusinessError = z
  .object({ error: z.string(), message: z.string() })
  .loose()
  .meta({ id: 'BusinessError' });

/** Validation error body: JSON path → messages. */
export const ValidationErrors = z
  .object({ errors: z.record(z.string(), z.array(z.string())) })
  .meta({ id: 'ValidationErrors' });

/** Standard error responses, to spread into a route's `response` so OpenAPI lists them. */
export const errorResponses = {
  400: z.union([BusinessError, ValidationErrors]).describe('Invalid input or a broken business rule'),
  401: BusinessError.describe('No or invalid authtoken'),
  403: BusinessError.describe('Not allowed for your role'),
  404: BusinessError.describe('Unknown resource'),
  413: BusinessError.describe('Body too large'),
  429: BusinessError.describe('Too many attempts; wait for the Retry-After seconds'),
} as const;

export const conflictResponse = { 409: BusinessError.describe('Version conflict, duplicate, or still referenced') } as const;

// PostgreSQL text and jsonb hold neither U+0000 nor an unpaired UTF-16 surrogate, which SQLite would
// keep silently; the server refuses both wherever input enters, on both dialects alike (ADR 0081).
// Without the `u` flag the pattern reads code units, so a lone surrogate is found and a pair is not.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why `text` cannot be stored, as an "expected …, received …" message (`received` says what the
 * caller sent, e.g. `the key "a\u0000"`); undefined when it can be.
 */
export function unstorableTextMessage(text: string, received = 'a string containing one'): string | undefined {
  if (text.includes('\u0000')) return `expected text without NUL (U+0000) characters, received ${received}`;
  if (LONE_SURROGATE.test(text)) return `expected text without unpaired UTF-16 surrogates (U+D800 to U+DFFF), received ${received}`;
  return undefined;
}
