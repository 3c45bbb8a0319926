import { z } from 'zod';

/** 24-character lowercase hex uid (decisions.md §4). */
export const Uid = z.string().regex(/^[0-9a-f]{24}$/, 'Expected a 24-character lowercase hex uid');

/** ISO-8601 UTC timestamp with milliseconds. */
export const Timestamp = z.string();

/** Audit fields every resource carries (decisions.md §4). */
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
} as const;

export const conflictResponse = { 409: BusinessError.describe('Version conflict, duplicate, or still referenced') } as const;
