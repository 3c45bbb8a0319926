import type { Db } from '../../db/create-db.js';
import type { Clock } from '../../shared/clock.js';
import type { ChangeEvents } from '../../shared/change-events.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { newUid } from '../../shared/ids.js';
import type { AuditRecorder } from '../audit/index.js';
import { isOrgAdmin, type Actor } from '../identity/index.js';
import { assertUidFormat, authorizeProject } from './project-access.js';
import { DEFAULT_LIMITS, resolveLimits, type ProjectLimits } from './project-limits.js';
import * as repo from './project-repository.js';
import { collectStats, type ProjectStatsSource } from './project-stats.js';
import { DUPLICATE_NAME, type Project, type ProjectView } from './project.js';

export interface CreateProjectInput {
  name: string;
  description: string;
  connectedStackApiKey?: string | null;
}

/** Patch semantics: undefined = unchanged, null = cleared. */
export interface UpdateProjectInput {
  name?: string;
  description?: string | null;
  connectedStackApiKey?: string | null;
}

export type LimitOverridesPatch = { [K in keyof ProjectLimits]?: number | null };

export type ProjectService = ReturnType<typeof createProjectService>;

export function createProjectService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditRecorder;
  changes: ChangeEvents;
  stats: readonly ProjectStatsSource[];
}) {
  const { db, clock, audit, changes } = deps;

  function duplicateName(name: string): ConflictError {
    return new ConflictError(DUPLICATE_NAME, `A project named "${name}" already exists in this organization.`);
  }

  /** The organization header of the Contentstack CLI must name the caller's organization. */
  function checkOrganizationHeader(actor: Actor, organizationUid: string | undefined): void {
    if (organizationUid === undefined || organizationUid === actor.orgUid) return;
    assertUidFormat(organizationUid, 'organization_uid');
    throw new ForbiddenError(
      'personalize.PROJECTS.ORGANIZATION_MISMATCH',
      `The organization_uid header names ${organizationUid}, but this Tailor serves organization ${actor.orgUid}.`,
    );
  }

  async function views(actor: Actor, filter: { connectedStackApiKey?: string; uid?: string }): Promise<ProjectView[]> {
    const admin = isOrgAdmin(actor);
    const rows = await repo.listProjects(db.kysely, { orgUid: actor.orgUid, userUid: actor.userUid, onlyMemberOf: !admin, ...filter });
    const stats = await collectStats(
      deps.stats,
      rows.map((r) => r.uid),
    );
    return rows.map(({ memberRole, userCount, ...project }) => ({
      ...project,
      ...(stats.get(project.uid) ?? { audienceCount: 0, activeExperienceCount: 0 }),
      userCount,
      currentUserRole: memberRole,
      canManage: admin || memberRole === 'OWNER',
      limits: resolveLimits(project.limitOverrides),
    }));
  }

  async function getView(actor: Actor, uid: string): Promise<ProjectView> {
    await authorizeProject(db.kysely, actor, uid, 'read', 'uid');
    const [view] = await views(actor, { uid });
    if (!view) throw new NotFoundError('personalize.PROJECTS.NOT_FOUND', `Project ${uid} was not found.`);
    return view;
  }

  return {
    checkOrganizationHeader,

    /** Org Owners/Admins see every project; everyone else the projects they belong to. */
    async listProjects(actor: Actor, filter: { connectedStackApiKey?: string; organizationUid?: string }): Promise<ProjectView[]> {
      checkOrganizationHeader(actor, filter.organizationUid);
      return views(actor, filter.connectedStackApiKey === undefined ? {} : { connectedStackApiKey: filter.connectedStackApiKey });
    },

    getProject: getView,

    async createProject(actor: Actor, input: CreateProjectInput, organizationUid?: string): Promise<ProjectView> {
      checkOrganizationHeader(actor, organizationUid);
      if (!isOrgAdmin(actor)) {
        throw new ForbiddenError('personalize.PROJECTS.FORBIDDEN', 'Only organization Owners and Admins can create projects.');
      }
      const now = clock.now().toISOString();
      const project: Project = {
        uid: newUid(clock.now().getTime()),
        orgUid: actor.orgUid,
        name: input.name,
        description: input.description,
        connectedStackApiKey: input.connectedStackApiKey ?? null,
        limitOverrides: {},
        createdAt: now,
        updatedAt: now,
        createdBy: actor.userUid,
        updatedBy: actor.userUid,
        createdByUserName: actor.name,
        updatedByUserName: actor.name,
      };
      await db.kysely.transaction().execute(async (trx) => {
        if (await repo.findProjectByName(trx, actor.orgUid, project.name)) throw duplicateName(project.name);
        try {
          await repo.insertProject(trx, project);
        } catch (error) {
          // Two creates racing past the check above on PostgreSQL.
          if (repo.isUniqueViolation(error)) throw duplicateName(project.name);
          throw error;
        }
        await repo.insertCreatorMembership(trx, project.uid, actor.userUid, now);
        await audit.record(trx, {
          orgUid: actor.orgUid,
          projectUid: project.uid,
          actor,
          action: 'project.created',
          resourceType: 'project',
          resourceUid: project.uid,
          summary: { name: project.name },
        });
        await audit.record(trx, {
          orgUid: actor.orgUid,
          projectUid: project.uid,
          actor,
          action: 'member.added',
          resourceType: 'member',
          resourceUid: actor.userUid,
          summary: { email: actor.email, role: 'OWNER', invitedBy: 'System' },
        });
      });
      await changes.emit({ projectUid: project.uid, resource: 'project', resourceUid: project.uid });
      return getView(actor, project.uid);
    },

    async updateProject(actor: Actor, uid: string, patch: UpdateProjectInput): Promise<ProjectView> {
      await db.kysely.transaction().execute(async (trx) => {
        const access = await authorizeProject(trx, actor, uid, 'manage', 'uid');
        const current = await repo.findProject(trx, access.projectUid);
        if (!current) throw new NotFoundError('personalize.PROJECTS.NOT_FOUND', `Project ${uid} was not found.`);
        const next: Project = {
          ...current,
          name: patch.name ?? current.name,
          description: patch.description === undefined ? current.description : (patch.description ?? ''),
          connectedStackApiKey: patch.connectedStackApiKey === undefined ? current.connectedStackApiKey : patch.connectedStackApiKey,
          updatedAt: clock.now().toISOString(),
          updatedBy: actor.userUid,
          updatedByUserName: actor.name,
        };
        if (next.name.toLowerCase() !== current.name.toLowerCase()) {
          const clash = await repo.findProjectByName(trx, actor.orgUid, next.name);
          if (clash && clash.uid !== uid) throw duplicateName(next.name);
        }
        try {
          await repo.updateProject(trx, next);
        } catch (error) {
          if (repo.isUniqueViolation(error)) throw duplicateName(next.name);
          throw error;
        }
        await audit.record(trx, {
          orgUid: actor.orgUid,
          projectUid: uid,
          actor,
          action: 'project.updated',
          resourceType: 'project',
          resourceUid: uid,
          summary: { changed: changedFields(current, next) },
        });
      });
      await changes.emit({ projectUid: uid, resource: 'project', resourceUid: uid });
      return getView(actor, uid);
    },

    /** One transaction: the cascade from projects.uid removes every project-scoped row with it. */
    async deleteProject(actor: Actor, uid: string): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        await authorizeProject(trx, actor, uid, 'manage', 'uid');
        const current = await repo.findProject(trx, uid);
        await repo.deleteProject(trx, uid);
        await audit.record(trx, {
          orgUid: actor.orgUid,
          projectUid: uid,
          actor,
          action: 'project.deleted',
          resourceType: 'project',
          resourceUid: uid,
          summary: { name: current?.name ?? null },
        });
      });
      await changes.emit({ projectUid: uid, resource: 'project', resourceUid: null });
    },

    /** Limits are a commercial matter in Contentstack, so only the org Owner changes them. */
    async updateLimits(actor: Actor, uid: string, patch: LimitOverridesPatch): Promise<ProjectView> {
      assertUidFormat(uid, 'uid');
      if (actor.orgRole !== 'OWNER') {
        // Still 404 for an unknown project before 403, like every other project route.
        await authorizeProject(db.kysely, actor, uid, 'read', 'uid');
        throw new ForbiddenError('personalize.PROJECTS.FORBIDDEN', 'Only the organization Owner can change project limits.');
      }
      await db.kysely.transaction().execute(async (trx) => {
        await authorizeProject(trx, actor, uid, 'manage', 'uid');
        const current = await repo.findProject(trx, uid);
        if (!current) throw new NotFoundError('personalize.PROJECTS.NOT_FOUND', `Project ${uid} was not found.`);
        const overrides: Partial<ProjectLimits> = { ...current.limitOverrides };
        for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof ProjectLimits>) {
          const value = patch[key];
          if (value === null) delete overrides[key];
          else if (value !== undefined) overrides[key] = value;
        }
        const issues = (Object.keys(overrides) as Array<keyof ProjectLimits>)
          .filter((key) => !Number.isInteger(overrides[key]) || (overrides[key] ?? 0) < 1)
          .map((key) => ({ path: key, message: `Expected a positive integer, received ${String(overrides[key])}.` }));
        if (issues.length > 0) throw new ValidationError(issues);
        const at = clock.now().toISOString();
        await repo.updateProject(trx, { ...current, limitOverrides: overrides, updatedAt: at, updatedBy: actor.userUid, updatedByUserName: actor.name });
        await audit.record(trx, {
          orgUid: actor.orgUid,
          projectUid: uid,
          actor,
          action: 'project.limits_changed',
          resourceType: 'project',
          resourceUid: uid,
          summary: { before: current.limitOverrides, after: overrides },
        });
      });
      await changes.emit({ projectUid: uid, resource: 'project', resourceUid: uid });
      return getView(actor, uid);
    },
  };
}

function changedFields(before: Project, after: Project): string[] {
  const fields = ['name', 'description', 'connectedStackApiKey'] as const;
  return fields.filter((field) => before[field] !== after[field]);
}
