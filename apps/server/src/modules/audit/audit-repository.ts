import type { Kysely } from 'kysely';
import { fromJson, toIso, toJson } from '../../db/mappers.js';
import type { Database } from '../../db/schema.js';
import type { AuditEntry } from './audit.js';

export interface AuditRow {
  uid: string;
  orgUid: string;
  projectUid: string | null;
  actorUid: string | null;
  actorName: string;
  actorAddress: string | null;
  action: string;
  resourceType: string;
  resourceUid: string;
  revision: number | null;
  summary: Record<string, unknown>;
  createdAt: string;
}

export async function insertAuditEntry(db: Kysely<Database>, row: AuditRow): Promise<void> {
  await db
    .insertInto('audit_entries')
    .values({
      uid: row.uid,
      org_uid: row.orgUid,
      project_uid: row.projectUid,
      actor_uid: row.actorUid,
      actor_name: row.actorName,
      actor_address: row.actorAddress,
      action: row.action,
      resource_type: row.resourceType,
      resource_uid: row.resourceUid,
      revision: row.revision,
      summary: toJson(row.summary),
      created_at: row.createdAt,
    })
    .execute();
}

export interface AuditQuery {
  orgUid: string;
  /** undefined = every project and org-level entries; null = org-level entries only. */
  projectUid?: string | null;
  resourceType?: string;
  resourceUid?: string;
  actorUid?: string;
  from?: string;
  to?: string;
  /** Entries with seq below this (newest first). */
  beforeSeq?: number;
  limit: number;
}

export async function listAuditEntries(db: Kysely<Database>, q: AuditQuery): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_entries').selectAll().where('org_uid', '=', q.orgUid);
  if (q.projectUid !== undefined) {
    query = q.projectUid === null ? query.where('project_uid', 'is', null) : query.where('project_uid', '=', q.projectUid);
  }
  if (q.resourceType) query = query.where('resource_type', '=', q.resourceType);
  if (q.resourceUid) query = query.where('resource_uid', '=', q.resourceUid);
  if (q.actorUid) query = query.where('actor_uid', '=', q.actorUid);
  if (q.from) query = query.where('created_at', '>=', q.from);
  if (q.to) query = query.where('created_at', '<=', q.to);
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  const rows = await query.orderBy('seq', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({
    uid: r.uid,
    seq: Number(r.seq),
    orgUid: r.org_uid,
    projectUid: r.project_uid,
    actorUid: r.actor_uid,
    actorName: r.actor_name,
    actorAddress: r.actor_address,
    action: r.action,
    resourceType: r.resource_type,
    resourceUid: r.resource_uid,
    revision: r.revision,
    summary: fromJson<Record<string, unknown>>(r.summary),
    createdAt: toIso(r.created_at),
  }));
}
