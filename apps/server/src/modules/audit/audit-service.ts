import type { Db } from '../../db/create-db.js';
import { ForbiddenError } from '../../shared/errors.js';
import { isOrgAdmin, type Actor } from '../identity/index.js';
import { authorizeProject } from '../projects/index.js';
import type { AuditEntry } from './audit.js';
import { listAuditEntries } from './audit-repository.js';

export interface AuditLogQuery {
  /** Set: that project's entries (project Owners, org Owners/Admins). Unset: the whole org (org Owners/Admins). */
  projectUid?: string;
  resource?: string;
  resourceUid?: string;
  actor?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

export interface AuditLogPage {
  entries: AuditEntry[];
  /** Pass back as `cursor` for older entries; null on the last page. */
  nextCursor: string | null;
}

/** Reading the audit log (ADR 0024); services write it through the recorder. */
export function createAuditService(deps: { db: Db }) {
  const { db } = deps;
  return {
    async listAuditLog(actor: Actor, query: AuditLogQuery): Promise<AuditLogPage> {
      let projectUid: string | undefined;
      if (query.projectUid !== undefined) {
        projectUid = (await authorizeProject(db.kysely, actor, query.projectUid, 'manage')).projectUid;
      } else if (!isOrgAdmin(actor)) {
        throw new ForbiddenError('personalize.AUDIT.FORBIDDEN', 'Only organization Owners and Admins can read the organization-wide audit log; send x-project-uid for a project you own.');
      }
      // One extra row tells whether another page exists without a count query.
      const rows = await listAuditEntries(db.kysely, {
        orgUid: actor.orgUid,
        ...(projectUid !== undefined ? { projectUid } : {}),
        ...(query.resource !== undefined ? { resourceType: query.resource } : {}),
        ...(query.resourceUid !== undefined ? { resourceUid: query.resourceUid } : {}),
        ...(query.actor !== undefined ? { actorUid: query.actor } : {}),
        ...(query.from !== undefined ? { from: new Date(query.from).toISOString() } : {}),
        ...(query.to !== undefined ? { to: new Date(query.to).toISOString() } : {}),
        ...(query.cursor !== undefined ? { beforeSeq: Number(query.cursor) } : {}),
        limit: query.limit + 1,
      });
      const entries = rows.slice(0, query.limit);
      const last = entries[entries.length - 1];
      return { entries, nextCursor: rows.length > query.limit && last ? String(last.seq) : null };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
