import type { Kysely } from 'kysely';
import type { Db } from '../../db/create-db.js';
import type { Database } from '../../db/schema.js';
import type { ChangeEvents } from '../../shared/change-events.js';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError, RuleViolationError, ValidationError, type ErrorIssue } from '../../shared/errors.js';
import { newUid } from '../../shared/ids.js';
import type { AuditRecorder } from '../audit/index.js';
import type { Actor } from '../identity/index.js';
import { authorizeProject, type ProjectAccess } from '../projects/index.js';
import { expectedVersions, isStale, versionConflict } from '../resources/index.js';
import { liveVersion, newCmsVariantUid, type ExperienceRecord, type VersionContent, type VersionRecord } from './experience.js';
import * as expRepo from './experience-repository.js';
import { notFound, stampFor } from './experience-service.js';
import { versionJson } from './experience-view.js';
import { existingAudienceUids, existingEventUids } from './target-lookup.js';
import * as repo from './version-repository.js';
import {
  assertActivatable,
  buildContent,
  CANNOT_DELETE_ACTIVE,
  CANNOT_DELETE_LAST,
  CANNOT_DELETE_ONLY_DRAFT,
  DRAFT_EXISTS,
  planTransition,
  sameContent,
  type ContentContext,
  type Transition,
  type VersionContentInput,
} from './version-rules.js';

export interface VersionServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditRecorder;
  changes: ChangeEvents;
}

export type RequestedStatus = 'DRAFT' | 'ACTIVE' | 'PAUSED';

export interface VersionWriteInput extends VersionContentInput {
  status: RequestedStatus;
  /** Only counted when the body is a copy of this version (see the routes). */
  version?: number | undefined;
}

export interface VersionCreateInput extends Omit<VersionContentInput, 'variants'> {
  status: RequestedStatus;
  variants?: VersionContentInput['variants'] | undefined;
  fromVersion?: string | undefined;
}

const VERSION_NOT_FOUND = 'personalize.EXPERIENCES.VERSIONS.NOT_FOUND';
export const VERSION_CONFLICT = 'personalize.EXPERIENCES.VERSIONS.VERSION_CONFLICT';

type Executor = Kysely<Database>;

export type VersionService = ReturnType<typeof createVersionService>;

export function createVersionService(deps: VersionServiceDeps) {
  const { db, clock, audit, changes } = deps;
  const now = () => clock.now().toISOString();

  function contextFor(exp: ExperienceRecord, access: ProjectAccess, counter: { next: number }): ContentContext {
    return {
      type: exp.type,
      knownShortUids: new Set(Object.keys(exp.cmsVariants)),
      variantsPerExperience: access.limits.variantsPerExperience,
      audiencesPerVariant: access.limits.audiencesPerVariant,
      mintShortUid: () => String(counter.next++),
    };
  }

  /** Audiences and events must be this project's: an unknown uid is a 400 at its path. */
  async function assertTargetsExist(trx: Executor, projectUid: string, content: VersionContent): Promise<void> {
    const refs = repo.referencesOf(content);
    const audiences = await existingAudienceUids(trx, db.dialect, projectUid, [...new Set(refs.filter((r) => r.target_kind === 'audience').map((r) => r.target_uid))]);
    const events = await existingEventUids(trx, db.dialect, projectUid, [...new Set(refs.filter((r) => r.target_kind === 'event').map((r) => r.target_uid))]);
    const issues: ErrorIssue[] = [];
    for (const r of refs) {
      const found = r.target_kind === 'audience' ? audiences : events;
      if (!found.has(r.target_uid)) issues.push({ path: r.path, message: `Expected the uid of an ${r.target_kind} of this project, received ${r.target_uid}` });
    }
    if (issues.length > 0) throw new ValidationError(issues);
  }

  /** Keeps the high-water mark and the `_cms` map (one CMS uid per shortUid any version still uses). */
  async function syncVariantBookkeeping(trx: Executor, exp: ExperienceRecord, counter: number): Promise<void> {
    const used = [...(await repo.usedShortUids(trx, exp.uid))].sort((a, b) => Number(a) - Number(b));
    const cms: Record<string, string> = {};
    for (const shortUid of used) cms[shortUid] = exp.cmsVariants[shortUid] ?? newCmsVariantUid();
    await expRepo.updateVariantBookkeeping(trx, exp.uid, Math.max(counter, exp.variantCounter), cms);
  }

  /** Archives the live version (ACTIVE or PAUSED) other than `exceptUid`, before another one goes live. */
  async function archiveLive(trx: Executor, actor: Actor, siblings: readonly VersionRecord[], exceptUid: string | null) {
    const at = now();
    const previous = liveVersion(siblings.filter((v) => v.uid !== exceptUid));
    // Archive first: the unique index allows one live version per experience at any moment.
    if (previous) {
      await repo.updateVersion(trx, previous.uid, previous.version, { status: 'ARCHIVED', archivedAt: at, updatedAt: at, updatedBy: actor.userUid, updatedByUserName: actor.name });
    }
    return previous;
  }

  /** Makes `version` the live one (ACTIVE or PAUSED): the previous live version is archived. */
  async function activate(trx: Executor, actor: Actor, version: VersionRecord, siblings: readonly VersionRecord[], status: 'ACTIVE' | 'PAUSED', content: VersionContent) {
    const at = now();
    const previous = await archiveLive(trx, actor, siblings, version.uid);
    // A new activation starts a new analytics period, keyed by this version's uid.
    await repo.updateVersion(trx, version.uid, version.version, {
      content,
      status,
      activation: { at, by: actor.userUid, byUserName: actor.name },
      updatedAt: at,
      updatedBy: actor.userUid,
      updatedByUserName: actor.name,
    });
    return previous;
  }

  async function lockOrThrow(trx: Executor, projectUid: string, experienceUid: string): Promise<ExperienceRecord> {
    const exp = await expRepo.lockExperience(trx, projectUid, experienceUid);
    if (!exp) throw notFound(experienceUid);
    return exp;
  }

  function versionNotFound(uid: string): NotFoundError {
    return new NotFoundError(VERSION_NOT_FOUND, `Version ${uid} was not found in this experience.`);
  }

  async function reread(trx: Executor, projectUid: string, experienceUid: string, uid: string): Promise<VersionRecord> {
    const v = await repo.findVersion(trx, projectUid, experienceUid, uid);
    if (!v) throw versionNotFound(uid);
    return v;
  }

  async function listVersions(actor: Actor, projectUid: string, experienceUid: string): Promise<VersionRecord[]> {
    await authorizeProject(db.kysely, actor, projectUid, 'read');
    if (!(await expRepo.findExperience(db.kysely, projectUid, experienceUid))) throw notFound(experienceUid);
    return repo.listVersions(db.kysely, projectUid, experienceUid);
  }

  /**
   * POST: a new DRAFT (refused while one exists), optionally cloned from another version
   * (`fromVersion`, "ACTIVE" = the live one). A POST with ACTIVE or PAUSED (the CLI re-creating
   * exported versions) creates the version and activates it at once.
   */
  async function createVersion(actor: Actor, projectUid: string, experienceUid: string, input: VersionCreateInput): Promise<VersionRecord> {
    const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
    const result = await db.kysely.transaction().execute(async (trx) => {
      const exp = await lockOrThrow(trx, projectUid, experienceUid);
      const siblings = await repo.listVersions(trx, projectUid, experienceUid);
      if (input.status === 'DRAFT' && siblings.some((v) => v.status === 'DRAFT')) {
        throw new RuleViolationError(DRAFT_EXISTS, 'This experience already has a draft version. Edit or delete it instead of creating another.');
      }
      const counter = { next: exp.variantCounter };
      let content: VersionContent;
      if (input.fromVersion !== undefined) {
        if (input.variants !== undefined) throw ValidationError.single('fromVersion', 'Expected either fromVersion or variants, received both');
        const source = input.fromVersion === 'ACTIVE' ? liveVersion(siblings) : siblings.find((v) => v.uid === input.fromVersion);
        if (!source) {
          throw ValidationError.single('fromVersion', `Expected ${input.fromVersion === 'ACTIVE' ? 'an active or paused version to clone, found none' : `a version of this experience, received ${input.fromVersion}`}`);
        }
        content = structuredClone({ variants: source.variants, targeting: source.targeting, metrics: source.metrics, variantSplit: source.variantSplit });
      } else {
        if (input.variants === undefined) throw ValidationError.single('variants', 'VARIANTS_NOT_ARRAY: Expected variants to be an array, received nothing');
        content = buildContent({ ...input, variants: input.variants }, contextFor(exp, access, counter));
      }
      await assertTargetsExist(trx, projectUid, content);
      const uid = newUid(clock.now().getTime());
      const at = now();
      let archived: VersionRecord | undefined;
      if (input.status !== 'DRAFT') {
        assertActivatable(content, exp.type);
        archived = await archiveLive(trx, actor, siblings, null);
      }
      await repo.insertVersion(trx, {
        uid,
        projectUid,
        experienceUid,
        versionNumber: (await repo.maxVersionNumber(trx, experienceUid)) + 1,
        ...content,
        stamp: stampFor(actor, at),
        ...(input.status === 'DRAFT' ? {} : { status: input.status, activation: { at, by: actor.userUid, byUserName: actor.name } }),
      });
      await repo.replaceReferences(trx, { projectUid, experienceUid, versionUid: uid }, content);
      await syncVariantBookkeeping(trx, exp, counter.next);
      await audit.record(trx, {
        orgUid: access.orgUid,
        projectUid,
        actor,
        action: input.status === 'DRAFT' ? 'version.created' : 'version.activated',
        resourceType: 'version',
        resourceUid: uid,
        revision: 1,
        summary: { experienceUid, status: input.status, variants: content.variants.length, fromVersion: input.fromVersion ?? null, archived: archived?.uid ?? null },
      });
      return reread(trx, projectUid, experienceUid, uid);
    });
    if (result.status !== 'DRAFT') await changes.emit({ projectUid, resource: 'version', resourceUid: result.uid });
    return result;
  }

  /** PUT replaces the whole version; the state machine of spec §1.6.1 decides what a status change means. */
  async function updateVersion(
    actor: Actor,
    projectUid: string,
    experienceUid: string,
    uid: string,
    input: VersionWriteInput,
    ifMatch: string | undefined,
  ): Promise<VersionRecord> {
    const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
    const expected = expectedVersions(ifMatch, input.version);
    const { result, transition } = await db.kysely.transaction().execute(async (trx): Promise<{ result: VersionRecord; transition: Transition }> => {
      const exp = await lockOrThrow(trx, projectUid, experienceUid);
      const siblings = await repo.listVersions(trx, projectUid, experienceUid);
      const current = siblings.find((v) => v.uid === uid);
      if (!current) throw versionNotFound(uid);
      if (isStale(expected, current.version)) throw versionConflict(VERSION_CONFLICT, versionJson(current));
      const counter = { next: exp.variantCounter };
      let content: VersionContent;
      let transition: Transition;
      if (current.status === 'DRAFT') {
        content = buildContent(input, contextFor(exp, access, counter));
        transition = planTransition('DRAFT', input.status, true);
      } else {
        // Locked: only a status change passes, so compare the request (omitted shortUids and fields = stored) to the stored content.
        let same = false;
        if (current.status !== 'ARCHIVED' && input.status !== 'DRAFT') {
          let minted = 0;
          try {
            const asSent = buildContent(input, { ...contextFor(exp, access, counter), mintShortUid: () => `new:${minted++}`, stored: current });
            same = sameContent(asSent, current);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
          }
        }
        transition = planTransition(current.status, input.status, same);
        content = current;
      }
      const at = now();
      const touched = { updatedAt: at, updatedBy: actor.userUid, updatedByUserName: actor.name };
      let archived: VersionRecord | undefined;
      switch (transition) {
        case 'save':
          await assertTargetsExist(trx, projectUid, content);
          await repo.updateVersion(trx, uid, current.version, { content, ...touched });
          break;
        case 'activate':
        case 'activatePaused':
          await assertTargetsExist(trx, projectUid, content);
          assertActivatable(content, exp.type);
          archived = await activate(trx, actor, current, siblings, transition === 'activate' ? 'ACTIVE' : 'PAUSED', content);
          break;
        case 'pause':
        case 'resume':
          await repo.updateVersion(trx, uid, current.version, { status: transition === 'pause' ? 'PAUSED' : 'ACTIVE', ...touched });
          break;
        case 'unchanged':
          return { result: current, transition };
      }
      if (transition === 'save' || transition === 'activate' || transition === 'activatePaused') {
        await repo.replaceReferences(trx, { projectUid, experienceUid, versionUid: uid }, content);
        await syncVariantBookkeeping(trx, exp, counter.next);
      }
      const action = { save: 'version.updated', activate: 'version.activated', activatePaused: 'version.activated', pause: 'version.paused', resume: 'version.resumed' }[transition];
      await audit.record(trx, {
        orgUid: access.orgUid,
        projectUid,
        actor,
        action,
        resourceType: 'version',
        resourceUid: uid,
        revision: current.version + 1,
        summary: { experienceUid, from: current.status, to: input.status, variants: content.variants.length, archived: archived?.uid ?? null },
      });
      return { result: await reread(trx, projectUid, experienceUid, uid), transition };
    });
    if (transition !== 'save' && transition !== 'unchanged') await changes.emit({ projectUid, resource: 'version', resourceUid: uid });
    return result;
  }

  /**
   * An ACTIVE version cannot be deleted; a draft only while a live version remains (an experience
   * always keeps one non-archived version); a PAUSED one only while a draft remains. Archived
   * versions (and their analytics period) may be deleted.
   */
  async function deleteVersion(actor: Actor, projectUid: string, experienceUid: string, uid: string, ifMatch: string | undefined): Promise<void> {
    const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
    const expected = expectedVersions(ifMatch, undefined);
    const deleted = await db.kysely.transaction().execute(async (trx) => {
      const exp = await lockOrThrow(trx, projectUid, experienceUid);
      const siblings = await repo.listVersions(trx, projectUid, experienceUid);
      const current = siblings.find((v) => v.uid === uid);
      if (!current) throw versionNotFound(uid);
      if (isStale(expected, current.version)) throw versionConflict(VERSION_CONFLICT, versionJson(current));
      const hasLive = liveVersion(siblings) !== undefined;
      const hasDraft = siblings.some((v) => v.status === 'DRAFT');
      if (current.status === 'ACTIVE') {
        throw new RuleViolationError(CANNOT_DELETE_ACTIVE, 'An active version cannot be deleted. Pause it, or activate another version first.');
      }
      if (current.status === 'DRAFT' && !hasLive) {
        throw new RuleViolationError(CANNOT_DELETE_ONLY_DRAFT, 'This draft is the only version of the experience and cannot be deleted. Delete the experience instead.');
      }
      if (current.status === 'PAUSED' && !hasDraft) {
        throw new RuleViolationError(CANNOT_DELETE_LAST, 'A paused version can be deleted only when a draft remains. Create a draft first, or delete the experience.');
      }
      await repo.deleteVersion(trx, uid);
      await syncVariantBookkeeping(trx, exp, exp.variantCounter);
      await audit.record(trx, {
        orgUid: access.orgUid,
        projectUid,
        actor,
        action: 'version.deleted',
        resourceType: 'version',
        resourceUid: uid,
        revision: null,
        summary: { experienceUid, status: current.status, versionNumber: current.versionNumber },
      });
      return current;
    });
    if (deleted.status === 'PAUSED') await changes.emit({ projectUid, resource: 'version', resourceUid: uid });
  }

  return { listVersions, createVersion, updateVersion, deleteVersion };
}
