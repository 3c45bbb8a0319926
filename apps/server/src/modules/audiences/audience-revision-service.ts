import type { Db } from '../../db/create-db.js';
import type { ChangeEvents } from '../../shared/change-events.js';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { AuditRecorder } from '../audit/index.js';
import type { Actor } from '../identity/index.js';
import { authorizeProject } from '../projects/index.js';
import { answerStaleWrite, expectedVersions, isStale, StaleWriteError, versionConflict } from '../resources/index.js';
import { checkDefinition } from './audience-definition.js';
import { findAudienceRow, findRevisionRow, hasRevisions, listRevisionRows } from './audience-repository.js';
import { AUDIENCE_CONFLICT, AUDIENCE_NOT_FOUND, audienceNotFound } from './audience-service.js';
import { audienceView, revisionView, type AudienceView, type RevisionView } from './audience-view.js';
import { rethrowDuplicate, rewriteAudience } from './audience-writer.js';

export interface AudienceRevisionServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditRecorder;
  changes: ChangeEvents;
}

export function createAudienceRevisionService(deps: AudienceRevisionServiceDeps) {
  const { db, clock, audit, changes } = deps;

  /** A live audience's history is readable by its project's members; a deleted one's only by Owners (ADR 0021). */
  async function authorizeHistory(actor: Actor, projectUid: string, uid: string): Promise<void> {
    await authorizeProject(db.kysely, actor, projectUid, 'read');
    if (await findAudienceRow(db.kysely, projectUid, uid)) return;
    if (!(await hasRevisions(db.kysely, projectUid, uid))) throw audienceNotFound(uid);
    await authorizeProject(db.kysely, actor, projectUid, 'manage');
  }

  return {
    async listRevisions(actor: Actor, projectUid: string, uid: string): Promise<RevisionView[]> {
      await authorizeHistory(actor, projectUid, uid);
      return (await listRevisionRows(db.kysely, projectUid, uid)).map(revisionView);
    },

    async getRevision(actor: Actor, projectUid: string, uid: string, number: number): Promise<RevisionView> {
      await authorizeHistory(actor, projectUid, uid);
      const revision = await findRevisionRow(db.kysely, projectUid, uid, number);
      if (!revision) throw new NotFoundError('personalize.AUDIENCES.REVISION_NOT_FOUND', `Audience ${uid} has no revision ${number}.`);
      return revisionView(revision);
    },

    /**
     * Makes revision n's name, description and definition current again, as a new revision. The old
     * definition is validated against today's attributes and limits; conflict-protected like an update.
     */
    async restoreRevision(actor: Actor, projectUid: string, uid: string, number: number, bodyVersion?: number, ifMatch?: string): Promise<AudienceView> {
      const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
      const expected = expectedVersions(ifMatch, bodyVersion);
      const before = await findAudienceRow(db.kysely, projectUid, uid);
      if (!before) throw audienceNotFound(uid);
      const revision = await findRevisionRow(db.kysely, projectUid, uid, number);
      if (!revision) throw new NotFoundError('personalize.AUDIENCES.REVISION_NOT_FOUND', `Audience ${uid} has no revision ${number}.`);
      if (isStale(expected, before.version)) throw versionConflict(AUDIENCE_CONFLICT, audienceView(before));
      let definition;
      try {
        definition = await checkDefinition(db.kysely, projectUid, revision.definition, access.limits.rulesPerAudience);
      } catch (error) {
        // Say why a once-valid revision cannot come back (e.g. an attribute it used was deleted).
        if (error instanceof ValidationError) {
          throw new ValidationError(error.issues.map((i) => ({ path: i.path, message: `Revision ${number} cannot be restored: ${i.message}` })));
        }
        throw error;
      }
      const content = { name: revision.name, description: revision.description, definition };
      const at = clock.now().toISOString();
      const restored = await answerStaleWrite(
        () =>
          db.kysely
            .transaction()
            .execute((trx) => rewriteAudience({ trx, audit, orgUid: access.orgUid, projectUid, actor, at }, before, expected[0], content, number))
            .catch((error: unknown) => (error instanceof StaleWriteError ? Promise.reject(error) : rethrowDuplicate(error, content.name))),
        {
          conflictCode: AUDIENCE_CONFLICT,
          notFoundCode: AUDIENCE_NOT_FOUND,
          reread: async () => {
            const row = await findAudienceRow(db.kysely, projectUid, uid);
            return row ? audienceView(row) : undefined;
          },
        },
      );
      await changes.emit({ projectUid, resource: 'audience', resourceUid: uid });
      return audienceView(restored);
    },
  };
}

export type AudienceRevisionService = ReturnType<typeof createAudienceRevisionService>;
