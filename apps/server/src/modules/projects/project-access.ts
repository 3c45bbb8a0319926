import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { fromJson } from '../../db/mappers.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { isUid } from '../../shared/ids.js';
import { isOrgAdmin, type Actor } from '../identity/index.js';
import { resolveLimits, type ProjectLimits } from './project-limits.js';

/**
 * What a caller may do in a project (spec §5): `read` for any member, `edit` for the resources
 * Members manage (experiences, versions, audiences, attributes, events), `manage` for settings
 * and users (project Owner, org Owner/Admin).
 */
export type ProjectPermission = 'read' | 'edit' | 'manage';

export interface ProjectAccess {
  projectUid: string;
  orgUid: string;
  /** The caller's effective role: org Owner/Admin act as project Owner everywhere. */
  role: 'OWNER' | 'MEMBER';
  limits: ProjectLimits;
}

export function assertUidFormat(value: string, path: string): void {
  if (!isUid(value)) {
    throw ValidationError.single(path, `Expected a 24-character lowercase hex uid, received ${JSON.stringify(String(value).slice(0, 64))}.`);
  }
}

/**
 * The single authorization check for project-scoped use cases. A malformed uid is 400, an
 * unknown project 404, no role 403, a role too weak 403.
 */
export async function authorizeProject(
  db: Kysely<Database>,
  actor: Actor,
  projectUid: string,
  permission: ProjectPermission,
  uidPath = 'x-project-uid',
): Promise<ProjectAccess> {
  assertUidFormat(projectUid, uidPath);
  const row = await db
    .selectFrom('projects')
    .leftJoin('project_members', (join) =>
      join.onRef('project_members.project_uid', '=', 'projects.uid').on('project_members.user_uid', '=', actor.userUid),
    )
    .select(['projects.uid', 'projects.org_uid', 'projects.limits', 'project_members.role'])
    .where('projects.uid', '=', projectUid)
    .executeTakeFirst();
  if (!row || row.org_uid !== actor.orgUid) {
    throw new NotFoundError('personalize.PROJECTS.NOT_FOUND', `Project ${projectUid} was not found.`);
  }
  const role = isOrgAdmin(actor) ? 'OWNER' : row.role;
  if (!role) throw new ForbiddenError('personalize.PROJECTS.FORBIDDEN', 'You are not a member of this project.');
  if (permission === 'manage' && role !== 'OWNER') {
    throw new ForbiddenError('personalize.PROJECTS.FORBIDDEN', 'Only project Owners can do this.');
  }
  return { projectUid: row.uid, orgUid: row.org_uid, role, limits: resolveLimits(fromJson(row.limits)) };
}
