import { z } from 'zod';
import { Timestamp } from './common.js';

export const AuditEntry = z
  .object({
    uid: z.string(),
    orgUid: z.string(),
    projectUid: z.string().nullable(),
    actorUid: z.string().nullable().describe('null for the system (bootstrap, CLI)'),
    actorName: z.string(),
    actorAddress: z.string().nullable().describe('The client address the change came from (X-Forwarded-For only through trusted proxies); null for the system'),
    action: z.string().describe('<resource>.<verb>, e.g. audience.updated'),
    resourceType: z.string(),
    resourceUid: z.string(),
    revision: z.number().int().nullable().describe('The audience revision (or resource version) the change produced'),
    summary: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
  })
  .meta({ id: 'AuditEntry' });

const isoInstant = z.iso.datetime({ offset: true, error: 'Expected an ISO-8601 date-time such as 2026-11-29T12:00:00.000Z' });

export const AuditLogQuery = z.object({
  resource: z.string().max(32).optional().describe('Resource type: attribute, audience, event, project, member, …'),
  resourceUid: z.string().max(64).optional(),
  actor: z.string().regex(/^[0-9a-f]{24}$/, 'Expected a 24-character lowercase hex user uid').optional(),
  from: isoInstant.optional().describe('Inclusive lower bound of createdAt'),
  to: isoInstant.optional().describe('Inclusive upper bound of createdAt'),
  cursor: z.string().regex(/^[1-9][0-9]{0,15}$/, 'Expected the cursor from a previous x-next-cursor header').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type AuditEntry = z.infer<typeof AuditEntry>;
