import type { Kysely } from 'kysely';
import { fromJson, toIso, toJson } from '../../db/mappers.js';
import type { Database } from '../../db/schema.js';
import type { ProjectLimits } from './project-limits.js';
import type { Project, ProjectRole } from './project.js';

type Executor = Kysely<Database>;

const COLUMNS = [
  'projects.uid',
  'projects.org_uid',
  'projects.name',
  'projects.description',
  'projects.connected_stack_api_key',
  'projects.limits',
  'projects.created_at',
  'projects.updated_at',
  'projects.created_by',
  'projects.updated_by',
  'projects.created_by_user_name',
  'projects.updated_by_user_name',
] as const;

interface ProjectRow {
  uid: string;
  org_uid: string;
  name: string;
  description: string;
  connected_stack_api_key: string | null;
  limits: unknown;
  created_at: string | Date;
  updated_at: string | Date;
  created_by: string;
  updated_by: string;
  created_by_user_name: string;
  updated_by_user_name: string;
}

function toProject(row: ProjectRow): Project {
  return {
    uid: row.uid,
    orgUid: row.org_uid,
    name: row.name,
    description: row.description,
    connectedStackApiKey: row.connected_stack_api_key,
    limitOverrides: fromJson<Partial<ProjectLimits>>(row.limits) ?? {},
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    createdByUserName: row.created_by_user_name,
    updatedByUserName: row.updated_by_user_name,
  };
}

export interface ProjectWithRole extends Project {
  /** The asking user's membership role, null when not a member. */
  memberRole: ProjectRole | null;
  userCount: number;
}

/**
 * Projects of the organization with the asking user's role and the accepted member count.
 * `onlyMemberOf` limits the list to projects the user belongs to (for org Members).
 */
export async function listProjects(
  db: Executor,
  q: { orgUid: string; userUid: string; onlyMemberOf: boolean; connectedStackApiKey?: string; uid?: string },
): Promise<ProjectWithRole[]> {
  let query = db
    .selectFrom('projects')
    .leftJoin('project_members as mine', (join) =>
      join.onRef('mine.project_uid', '=', 'projects.uid').on('mine.user_uid', '=', q.userUid),
    )
    .select(COLUMNS)
    .select('mine.role as member_role')
    .select((eb) =>
      eb
        .selectFrom('project_members')
        .whereRef('project_members.project_uid', '=', 'projects.uid')
        .select((inner) => inner.fn.countAll<number | string>().as('n'))
        .as('user_count'),
    )
    .where('projects.org_uid', '=', q.orgUid);
  if (q.onlyMemberOf) query = query.where('mine.role', 'is not', null);
  if (q.connectedStackApiKey !== undefined) query = query.where('projects.connected_stack_api_key', '=', q.connectedStackApiKey);
  if (q.uid !== undefined) query = query.where('projects.uid', '=', q.uid);
  const rows = await query.orderBy('projects.created_at').orderBy('projects.name').execute();
  return rows.map((row) => ({ ...toProject(row), memberRole: row.member_role ?? null, userCount: Number(row.user_count ?? 0) }));
}

export async function findProject(db: Executor, uid: string): Promise<Project | undefined> {
  const row = await db.selectFrom('projects').select(COLUMNS).where('uid', '=', uid).executeTakeFirst();
  return row && toProject(row);
}

/** Names are unique per organization regardless of case: "Web" and "web" would confuse everyone. */
export async function findProjectByName(db: Executor, orgUid: string, name: string): Promise<Project | undefined> {
  const row = await db
    .selectFrom('projects')
    .select(COLUMNS)
    .where('org_uid', '=', orgUid)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
  return row && toProject(row);
}

export async function insertProject(db: Executor, project: Project): Promise<void> {
  await db
    .insertInto('projects')
    .values({
      uid: project.uid,
      org_uid: project.orgUid,
      name: project.name,
      description: project.description,
      connected_stack_api_key: project.connectedStackApiKey,
      limits: toJson(project.limitOverrides),
      experience_counter: 0,
      created_at: project.createdAt,
      updated_at: project.updatedAt,
      created_by: project.createdBy,
      updated_by: project.updatedBy,
      created_by_user_name: project.createdByUserName,
      updated_by_user_name: project.updatedByUserName,
    })
    .execute();
}

export async function updateProject(db: Executor, project: Project): Promise<void> {
  await db
    .updateTable('projects')
    .set({
      name: project.name,
      description: project.description,
      connected_stack_api_key: project.connectedStackApiKey,
      limits: toJson(project.limitOverrides),
      updated_at: project.updatedAt,
      updated_by: project.updatedBy,
      updated_by_user_name: project.updatedByUserName,
    })
    .where('uid', '=', project.uid)
    .execute();
}

/** Every project-scoped table references projects.uid ON DELETE CASCADE, so this one statement removes it all. */
export async function deleteProject(db: Executor, uid: string): Promise<void> {
  await db.deleteFrom('projects').where('uid', '=', uid).execute();
}

/** Both drivers' unique-violation signals (SQLite's code string, PostgreSQL's SQLSTATE). */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== 'object' || !('code' in error)) return false;
  const code = (error as { code: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

/**
 * The creator's membership is part of creating a project (same transaction), so it is written
 * here rather than through the members module, which itself depends on projects.
 */
export async function insertCreatorMembership(db: Executor, projectUid: string, userUid: string, now: string): Promise<void> {
  await db
    .insertInto('project_members')
    .values({ project_uid: projectUid, user_uid: userUid, role: 'OWNER', invited_by_user_name: 'System', created_at: now })
    .execute();
}
