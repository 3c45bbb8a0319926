import type { Kysely } from 'kysely';
import type { Db } from '../../db/create-db.js';
import type { Database } from '../../db/schema.js';
import type { ChangeEvents } from '../../shared/change-events.js';
import type { Clock } from '../../shared/clock.js';
import { LimitExceededError, NotFoundError, RuleViolationError } from '../../shared/errors.js';
import { newUid, toShortUid } from '../../shared/ids.js';
import type { AuditRecorder } from '../audit/index.js';
import type { Actor } from '../identity/index.js';
import { authorizeProject } from '../projects/index.js';
import { answerStaleWrite, expectedVersions, isStale, StaleWriteError, versionConflict } from '../resources/index.js';
import { normalizeTags, type AuditStamp, type ExperienceType, type ExperienceView } from './experience.js';
import * as repo from './experience-repository.js';
import { experienceJson, groupByExperience, toExperienceView } from './experience-view.js';
import { insertVersion, listCurrentVersions, listVersions } from './version-repository.js';

export interface ExperienceServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditRecorder;
  changes: ChangeEvents;
}

export interface ExperienceCreateInput {
  name: string;
  description?: string | null | undefined;
  type: ExperienceType;
  tags?: string[] | null | undefined;
}

/** Patch: undefined = unchanged; null clears description and tags. */
export interface ExperienceUpdateInput {
  name?: string | undefined;
  description?: string | null | undefined;
  type?: ExperienceType | undefined;
  tags?: string[] | null | undefined;
  /** The body's `version`; counted only when the body is a copy of this experience (see claimedVersion). */
  version?: number | undefined;
}

export const EXPERIENCE_NOT_FOUND = 'personalize.EXPERIENCES.NOT_FOUND';
export const EXPERIENCE_CONFLICT = 'personalize.EXPERIENCES.VERSION_CONFLICT';
const MAX_EXPERIENCES = 'personalization.EXPERIENCES.MAX_EXPERIENCES_COUNT_EXCEEDED';
const CANNOT_CHANGE_TYPE = 'personalize.EXPERIENCES.CANNOT_CHANGE_TYPE';
const PRIORITY_MISSING = 'personalize.EXPERIENCES_PRIORITY.MISSING_EXPERIENCES';

export function notFound(uid: string): NotFoundError {
  return new NotFoundError(EXPERIENCE_NOT_FOUND, `Experience ${uid} was not found in this project.`);
}

export function stampFor(actor: Actor, at: string): AuditStamp {
  return { createdAt: at, updatedAt: at, createdBy: actor.userUid, updatedBy: actor.userUid, createdByUserName: actor.name, updatedByUserName: actor.name };
}

/** One experience as answered, read with the given executor (the transaction when inside one). */
export async function loadExperienceView(db: Kysely<Database>, projectUid: string, uid: string): Promise<ExperienceView | undefined> {
  const record = await repo.findExperience(db, projectUid, uid);
  if (!record) return undefined;
  const versions = (await listVersions(db, projectUid, uid)).filter((v) => v.status !== 'ARCHIVED');
  const order = await repo.listPriorityOrder(db, projectUid);
  return toExperienceView(record, versions, order.indexOf(uid) + 1);
}

export type ExperienceService = ReturnType<typeof createExperienceService>;

export function createExperienceService(deps: ExperienceServiceDeps) {
  const { db, clock, audit, changes } = deps;
  const now = () => clock.now().toISOString();

  async function listExperiences(actor: Actor, projectUid: string): Promise<ExperienceView[]> {
    await authorizeProject(db.kysely, actor, projectUid, 'read');
    const records = await repo.listExperiences(db.kysely, projectUid);
    const current = groupByExperience(await listCurrentVersions(db.kysely, projectUid));
    return records.map((r, i) => toExperienceView(r, current.get(r.uid) ?? [], i + 1));
  }

  async function getExperience(actor: Actor, projectUid: string, uid: string): Promise<ExperienceView> {
    await authorizeProject(db.kysely, actor, projectUid, 'read');
    const view = await loadExperienceView(db.kysely, projectUid, uid);
    if (!view) throw notFound(uid);
    return view;
  }

  /** Creates the experience, appended at the bottom of the priority, with its first (empty) DRAFT version. */
  async function createExperience(actor: Actor, projectUid: string, input: ExperienceCreateInput): Promise<ExperienceView> {
    const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
    const tags = normalizeTags(input.tags);
    const at = now();
    const uid = newUid(clock.now().getTime());
    const view = await db.kysely.transaction().execute(async (trx) => {
      // Taking the counter first locks the project row, so concurrent creates count and rank one by one.
      const counter = await repo.nextExperienceCounter(trx, projectUid);
      if ((await repo.countExperiences(trx, projectUid)) >= access.limits.experiences) {
        throw new LimitExceededError(MAX_EXPERIENCES, `This project already has the maximum of ${access.limits.experiences} experiences.`);
      }
      const stamp = stampFor(actor, at);
      await repo.insertExperience(trx, {
        uid,
        projectUid,
        shortUid: toShortUid(counter),
        name: input.name,
        description: input.description ?? '',
        type: input.type,
        tags,
        priority: (await repo.maxPriority(trx, projectUid)) + 1,
        variantGroup: newUid(clock.now().getTime()),
        stamp,
      });
      await insertVersion(trx, {
        uid: newUid(clock.now().getTime()),
        projectUid,
        experienceUid: uid,
        versionNumber: 1,
        variants: [],
        targeting: null,
        metrics: [],
        variantSplit: input.type === 'AB_TEST' ? 'EQUAL' : null,
        stamp,
      });
      await audit.record(trx, {
        orgUid: access.orgUid,
        projectUid,
        actor,
        action: 'experience.created',
        resourceType: 'experience',
        resourceUid: uid,
        revision: 1,
        summary: { name: input.name, type: input.type, shortUid: toShortUid(counter) },
      });
      return loadExperienceView(trx, projectUid, uid);
    });
    if (!view) throw new Error('experience vanished after insert');
    await changes.emit({ projectUid, resource: 'experience', resourceUid: uid });
    return view;
  }

  async function updateExperience(
    actor: Actor,
    projectUid: string,
    uid: string,
    input: ExperienceUpdateInput,
    ifMatch: string | undefined,
  ): Promise<ExperienceView> {
    const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
    const expected = expectedVersions(ifMatch, input.version);
    const tags = input.tags === undefined ? undefined : normalizeTags(input.tags);
    const view = await answerStaleWrite(
      () =>
        db.kysely.transaction().execute(async (trx) => {
          const current = await repo.findExperience(trx, projectUid, uid);
          if (!current) throw notFound(uid);
          if (isStale(expected, current.version)) {
            const copy = await loadExperienceView(trx, projectUid, uid);
            throw versionConflict(EXPERIENCE_CONFLICT, copy ? experienceJson(copy) : undefined);
          }
          const type = input.type ?? current.type;
          if (type !== current.type) {
            // Variants of one kind are meaningless for the other; a type change is only for empty experiences.
            if (Object.keys(current.cmsVariants).length > 0) {
              throw new RuleViolationError(CANNOT_CHANGE_TYPE, 'The type of an experience cannot change once a version has variants. Create a new experience instead.');
            }
            await repo.setVariantSplitOfExperience(trx, uid, type === 'AB_TEST' ? 'EQUAL' : null);
          }
          const next = {
            name: input.name ?? current.name,
            description: input.description === undefined ? current.description : (input.description ?? ''),
            type,
            tags: tags ?? current.tags,
          };
          const ok = await repo.updateExperienceFields(trx, projectUid, uid, current.version, {
            ...next,
            updatedAt: now(),
            updatedBy: actor.userUid,
            updatedByUserName: actor.name,
          });
          if (!ok) throw new StaleWriteError();
          await audit.record(trx, {
            orgUid: access.orgUid,
            projectUid,
            actor,
            action: 'experience.updated',
            resourceType: 'experience',
            resourceUid: uid,
            revision: current.version + 1,
            summary: { changed: (Object.keys(next) as Array<keyof typeof next>).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k])) },
          });
          return loadExperienceView(trx, projectUid, uid);
        }),
      {
        conflictCode: EXPERIENCE_CONFLICT,
        notFoundCode: EXPERIENCE_NOT_FOUND,
        reread: async () => {
          const copy = await loadExperienceView(db.kysely, projectUid, uid);
          return copy ? experienceJson(copy) : undefined;
        },
      },
    );
    if (!view) throw notFound(uid);
    await changes.emit({ projectUid, resource: 'experience', resourceUid: uid });
    return view;
  }

  /** Allowed in any state (spec §1.6): versions and references go with it, and it leaves the priority order. */
  async function deleteExperience(actor: Actor, projectUid: string, uid: string, ifMatch: string | undefined): Promise<void> {
    const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
    const expected = expectedVersions(ifMatch, undefined);
    await db.kysely.transaction().execute(async (trx) => {
      const current = await repo.findExperience(trx, projectUid, uid);
      if (!current) throw notFound(uid);
      if (isStale(expected, current.version)) {
        const copy = await loadExperienceView(trx, projectUid, uid);
        throw versionConflict(EXPERIENCE_CONFLICT, copy ? experienceJson(copy) : undefined);
      }
      if (!(await repo.deleteExperience(trx, projectUid, uid))) throw notFound(uid);
      await audit.record(trx, {
        orgUid: access.orgUid,
        projectUid,
        actor,
        action: 'experience.deleted',
        resourceType: 'experience',
        resourceUid: uid,
        revision: null,
        summary: { name: current.name, shortUid: current.shortUid },
      });
    });
    await changes.emit({ projectUid, resource: 'experience', resourceUid: uid });
  }

  async function getPriority(actor: Actor, projectUid: string): Promise<string[]> {
    await authorizeProject(db.kysely, actor, projectUid, 'read');
    return repo.listPriorityOrder(db.kysely, projectUid);
  }

  /** Contentstack requires the full set of the project's experience uids, highest priority first. */
  async function setPriority(actor: Actor, projectUid: string, order: readonly string[]): Promise<string[]> {
    const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
    const result = await db.kysely.transaction().execute(async (trx) => {
      const current = await repo.listPriorityOrder(trx, projectUid);
      const known = new Set(current);
      const sent = new Set(order);
      const missing = current.filter((uid) => !sent.has(uid));
      const unknown = [...sent].filter((uid) => !known.has(uid));
      const duplicates = order.filter((uid, i) => order.indexOf(uid) !== i);
      if (missing.length > 0 || unknown.length > 0 || duplicates.length > 0) {
        throw new RuleViolationError(
          PRIORITY_MISSING,
          'priorityOrder must list every experience of the project exactly once' +
            (missing.length ? `; missing: ${missing.join(', ')}` : '') +
            (unknown.length ? `; not experiences of this project: ${unknown.join(', ')}` : '') +
            (duplicates.length ? `; listed twice: ${[...new Set(duplicates)].join(', ')}` : ''),
          { missing, unknown, duplicates: [...new Set(duplicates)] },
        );
      }
      await repo.setPriorities(trx, projectUid, order);
      await audit.record(trx, {
        orgUid: access.orgUid,
        projectUid,
        actor,
        action: 'experience.priority_changed',
        resourceType: 'priority',
        resourceUid: projectUid,
        revision: null,
        summary: { before: current, after: order },
      });
      return [...order];
    });
    await changes.emit({ projectUid, resource: 'priority', resourceUid: null });
    return result;
  }

  return { listExperiences, getExperience, createExperience, updateExperience, deleteExperience, getPriority, setPriority };
}
