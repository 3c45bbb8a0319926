import type { Db } from '../../db/create-db.js';
import { lockRowForDelete } from '../../db/row-locks.js';
import type { ChangeEvents } from '../../shared/change-events.js';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, LimitExceededError, NotFoundError, RuleViolationError } from '../../shared/errors.js';
import { newUid } from '../../shared/ids.js';
import type { AuditRecorder } from '../audit/index.js';
import type { Actor } from '../identity/index.js';
import { authorizeProject } from '../projects/index.js';
import { countReferrers, type Reference, type ReferenceSource } from '../references/index.js';
import { answerStaleWrite, expectedVersions, isStale, StaleWriteError, versionConflict } from '../resources/index.js';
import type { ImpactFigures } from './audience.js';
import { checkDefinition } from './audience-definition.js';
import { countAudienceRows, deleteAudienceRow, findAudienceRow, listAudienceRows } from './audience-repository.js';
import { audienceView, type AudienceView } from './audience-view.js';
import { insertAudience, rethrowDuplicate, rewriteAudience } from './audience-writer.js';

export interface AudienceServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditRecorder;
  changes: ChangeEvents;
  references: ReferenceSource;
}

export interface AudienceInput {
  name?: string;
  description?: string | null;
  definition?: unknown;
  version?: number;
  source?: string;
  /** Headline figures of the impact preview shown before this save (ADR 0071). */
  impact?: ImpactFigures;
}

export const AUDIENCE_CONFLICT = 'personalize.AUDIENCES.VERSION_CONFLICT';
export const AUDIENCE_NOT_FOUND = 'personalize.AUDIENCES.NOT_FOUND';

export function audienceNotFound(uid: string): NotFoundError {
  return new NotFoundError(AUDIENCE_NOT_FOUND, `Audience ${uid} was not found in this project.`);
}

export function createAudienceService(deps: AudienceServiceDeps) {
  const { db, clock, audit, changes, references } = deps;

  const reread = (projectUid: string, uid: string) => async () => {
    const row = await findAudienceRow(db.kysely, projectUid, uid);
    return row ? audienceView(row) : undefined;
  };

  return {
    async listAudiences(actor: Actor, projectUid: string): Promise<Array<AudienceView & { referenceCount: number }>> {
      await authorizeProject(db.kysely, actor, projectUid, 'read');
      const rows = await listAudienceRows(db.kysely, projectUid);
      const refs = await references.audienceReferences(
        db.kysely,
        projectUid,
        rows.map((r) => r.uid),
      );
      return rows.map((row) => ({ ...audienceView(row), referenceCount: countReferrers(refs.get(row.uid)) }));
    },

    async getAudience(actor: Actor, projectUid: string, uid: string): Promise<AudienceView> {
      await authorizeProject(db.kysely, actor, projectUid, 'read');
      const row = await findAudienceRow(db.kysely, projectUid, uid);
      if (!row) throw audienceNotFound(uid);
      return audienceView(row);
    },

    async createAudience(actor: Actor, projectUid: string, input: AudienceInput & { name: string }): Promise<AudienceView> {
      const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
      if (typeof input.source === 'string' && input.source.toUpperCase() === 'LYTICS') {
        throw new RuleViolationError('personalize.AUDIENCES.LYTICS_NOT_SUPPORTED', 'Lytics audiences are synced from Lytics and are not supported by Tailor.');
      }
      const definition = await checkDefinition(db.kysely, projectUid, input.definition, access.limits.rulesPerAudience);
      const at = clock.now().toISOString();
      const uid = newUid(clock.now().getTime());
      const content = { name: input.name, description: input.description ?? '', definition };
      const created = await db.kysely
        .transaction()
        .execute(async (trx) => {
          if ((await countAudienceRows(trx, projectUid)) >= access.limits.audiences) {
            throw new LimitExceededError(
              'personalization.AUDIENCES.MAX_AUDIENCES_COUNT_EXCEEDED',
              `This project already has its limit of ${access.limits.audiences} audiences.`,
            );
          }
          return insertAudience({ trx, audit, orgUid: access.orgUid, projectUid, actor, at }, uid, content, input.impact);
        })
        .catch((error: unknown) => rethrowDuplicate(error, content.name));
      await changes.emit({ projectUid, resource: 'audience', resourceUid: uid });
      return audienceView(created);
    },

    /** Absent fields keep their value. Stale If-Match / body version → 409 with the current copy. */
    async updateAudience(actor: Actor, projectUid: string, uid: string, input: AudienceInput, ifMatch?: string): Promise<AudienceView> {
      const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
      const expected = expectedVersions(ifMatch, input.version);
      const before = await findAudienceRow(db.kysely, projectUid, uid);
      if (!before) throw audienceNotFound(uid);
      if (isStale(expected, before.version)) throw versionConflict(AUDIENCE_CONFLICT, audienceView(before));
      const definition =
        input.definition === undefined ? before.definition : await checkDefinition(db.kysely, projectUid, input.definition, access.limits.rulesPerAudience);
      const content = {
        name: input.name ?? before.name,
        description: input.description === undefined ? before.description : (input.description ?? ''),
        definition,
      };
      const at = clock.now().toISOString();
      const updated = await answerStaleWrite(
        () =>
          db.kysely
            .transaction()
            .execute((trx) => rewriteAudience({ trx, audit, orgUid: access.orgUid, projectUid, actor, at }, before, expected[0], content, null, input.impact))
            .catch((error: unknown) => (error instanceof StaleWriteError ? Promise.reject(error) : rethrowDuplicate(error, content.name))),
        { conflictCode: AUDIENCE_CONFLICT, notFoundCode: AUDIENCE_NOT_FOUND, reread: reread(projectUid, uid) },
      );
      await changes.emit({ projectUid, resource: 'audience', resourceUid: uid });
      return audienceView(updated);
    },

    /** Refused while a blocking reference (a non-archived experience version) uses it. History stays. */
    async deleteAudience(actor: Actor, projectUid: string, uid: string, ifMatch?: string): Promise<void> {
      const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
      const expected = expectedVersions(ifMatch, undefined);
      const before = await findAudienceRow(db.kysely, projectUid, uid);
      if (!before) throw audienceNotFound(uid);
      if (isStale(expected, before.version)) throw versionConflict(AUDIENCE_CONFLICT, audienceView(before));
      await answerStaleWrite(
        () =>
          db.kysely.transaction().execute(async (trx) => {
            // Locked before the references are read: a concurrent version save then either shows
            // up in them or fails to find the audience (ADR 0032).
            await lockRowForDelete(trx, db.dialect, 'audiences', projectUid, uid);
            const refs = (await references.audienceReferences(trx, projectUid, [uid])).get(uid) ?? [];
            if (refs.some((r) => r.blocking)) {
              throw new ConflictError(
                'personalize.AUDIENCES.REFERENCED',
                `Audience "${before.name}" is used by ${countReferrers(refs)} experience(s); remove it from their draft versions first.`,
                { references: refs },
              );
            }
            if (!(await deleteAudienceRow(trx, projectUid, uid, expected[0]))) throw new StaleWriteError();
            await audit.record(trx, {
              orgUid: access.orgUid,
              projectUid,
              actor,
              action: 'audience.deleted',
              resourceType: 'audience',
              resourceUid: uid,
              revision: before.version,
              summary: { audienceName: before.name },
            });
          }),
        { conflictCode: AUDIENCE_CONFLICT, notFoundCode: AUDIENCE_NOT_FOUND, reread: reread(projectUid, uid) },
      );
      await changes.emit({ projectUid, resource: 'audience', resourceUid: uid });
    },

    async audienceReferences(actor: Actor, projectUid: string, uid: string): Promise<Reference[]> {
      await authorizeProject(db.kysely, actor, projectUid, 'read');
      if (!(await findAudienceRow(db.kysely, projectUid, uid))) throw audienceNotFound(uid);
      return (await references.audienceReferences(db.kysely, projectUid, [uid])).get(uid) ?? [];
    },
  };
}

export type AudienceService = ReturnType<typeof createAudienceService>;
