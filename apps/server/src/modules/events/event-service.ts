import type { Db } from '../../db/create-db.js';
import { lockRowForDelete } from '../../db/row-locks.js';
import type { ChangeEvents } from '../../shared/change-events.js';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, LimitExceededError, NotFoundError } from '../../shared/errors.js';
import { newUid } from '../../shared/ids.js';
import type { AuditRecorder } from '../audit/index.js';
import type { Actor } from '../identity/index.js';
import { authorizeProject } from '../projects/index.js';
import { countReferrers, type Reference, type ReferenceSource } from '../references/index.js';
import { answerStaleWrite, expectedVersions, isStale, StaleWriteError, uniqueViolation, versionConflict } from '../resources/index.js';
import { countEventRows, deleteEventRow, findEventRow, insertEventRow, isEventKeyTaken, listEventRows, updateEventRow } from './event-repository.js';
import { eventView, type EventView } from './event.js';

export interface EventServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditRecorder;
  changes: ChangeEvents;
  references: ReferenceSource;
}

const CONFLICT = 'personalize.EVENTS.VERSION_CONFLICT';
const NOT_FOUND = 'personalize.EVENTS.NOT_FOUND';

function notFound(uid: string): NotFoundError {
  return new NotFoundError(NOT_FOUND, `Event ${uid} was not found in this project.`);
}

function duplicateKey(key: string): ConflictError {
  return new ConflictError('personalize.EVENTS.DUPLICATE_KEY', `An event with the key "${key}" already exists in this project.`);
}

function rethrowDuplicate(error: unknown, key: string): never {
  if (uniqueViolation(error) !== null) throw duplicateKey(key);
  throw error;
}

export function createEventService(deps: EventServiceDeps) {
  const { db, clock, audit, changes, references } = deps;
  const reread = (projectUid: string, uid: string) => async () => {
    const row = await findEventRow(db.kysely, projectUid, uid);
    return row ? eventView(row) : undefined;
  };

  return {
    async listEvents(actor: Actor, projectUid: string): Promise<Array<EventView & { referenceCount: number }>> {
      await authorizeProject(db.kysely, actor, projectUid, 'read');
      const rows = await listEventRows(db.kysely, projectUid);
      const refs = await references.eventReferences(
        db.kysely,
        projectUid,
        rows.map((r) => r.uid),
      );
      return rows.map((row) => ({ ...eventView(row), referenceCount: countReferrers(refs.get(row.uid)) }));
    },

    async getEvent(actor: Actor, projectUid: string, uid: string): Promise<EventView> {
      await authorizeProject(db.kysely, actor, projectUid, 'read');
      const row = await findEventRow(db.kysely, projectUid, uid);
      if (!row) throw notFound(uid);
      return eventView(row);
    },

    async createEvent(actor: Actor, projectUid: string, input: { key: string; description?: string | null }): Promise<EventView> {
      const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
      const at = clock.now().toISOString();
      const uid = newUid(clock.now().getTime());
      const created = await db.kysely
        .transaction()
        .execute(async (trx) => {
          if ((await countEventRows(trx, projectUid)) >= access.limits.events) {
            throw new LimitExceededError('personalization.EVENTS.MAX_EVENTS_COUNT_EXCEEDED', `This project already has its limit of ${access.limits.events} events.`);
          }
          if (await isEventKeyTaken(trx, projectUid, input.key)) throw duplicateKey(input.key);
          const row = await insertEventRow(trx, uid, projectUid, { key: input.key, description: input.description ?? '' }, actor, at);
          await audit.record(trx, { orgUid: access.orgUid, projectUid, actor, action: 'event.created', resourceType: 'event', resourceUid: uid, revision: 1, summary: { key: row.key } });
          return row;
        })
        .catch((error: unknown) => rethrowDuplicate(error, input.key));
      await changes.emit({ projectUid, resource: 'event', resourceUid: uid });
      return eventView(created);
    },

    async updateEvent(actor: Actor, projectUid: string, uid: string, input: { key?: string; description?: string | null; version?: number }, ifMatch?: string): Promise<EventView> {
      const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
      const expected = expectedVersions(ifMatch, input.version);
      const before = await findEventRow(db.kysely, projectUid, uid);
      if (!before) throw notFound(uid);
      if (isStale(expected, before.version)) throw versionConflict(CONFLICT, eventView(before));
      const content = { key: input.key ?? before.key, description: input.description === undefined ? before.description : (input.description ?? '') };
      const at = clock.now().toISOString();
      const updated = await answerStaleWrite(
        () =>
          db.kysely
            .transaction()
            .execute(async (trx) => {
              if (content.key !== before.key && (await isEventKeyTaken(trx, projectUid, content.key, uid))) throw duplicateKey(content.key);
              const row = await updateEventRow(trx, projectUid, uid, expected[0], content, actor, at);
              if (!row) throw new StaleWriteError();
              const changed: Record<string, { from: string; to: string }> = {};
              for (const field of ['key', 'description'] as const) if (row[field] !== before[field]) changed[field] = { from: before[field], to: row[field] };
              await audit.record(trx, { orgUid: access.orgUid, projectUid, actor, action: 'event.updated', resourceType: 'event', resourceUid: uid, revision: row.version, summary: { changes: changed } });
              return row;
            })
            .catch((error: unknown) => (error instanceof StaleWriteError ? Promise.reject(error) : rethrowDuplicate(error, content.key))),
        { conflictCode: CONFLICT, notFoundCode: NOT_FOUND, reread: reread(projectUid, uid) },
      );
      await changes.emit({ projectUid, resource: 'event', resourceUid: uid });
      return eventView(updated);
    },

    async deleteEvent(actor: Actor, projectUid: string, uid: string, ifMatch?: string): Promise<void> {
      const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
      const expected = expectedVersions(ifMatch, undefined);
      const before = await findEventRow(db.kysely, projectUid, uid);
      if (!before) throw notFound(uid);
      if (isStale(expected, before.version)) throw versionConflict(CONFLICT, eventView(before));
      await answerStaleWrite(
        () =>
          db.kysely.transaction().execute(async (trx) => {
            // Locked before the references are read, as for audiences (ADR 0032).
            await lockRowForDelete(trx, db.dialect, 'events', projectUid, uid);
            const refs = (await references.eventReferences(trx, projectUid, [uid])).get(uid) ?? [];
            if (refs.some((r) => r.blocking)) {
              throw new ConflictError(
                'personalize.EVENTS.REFERENCED',
                `Event "${before.key}" is a metric of ${countReferrers(refs)} experience(s); remove it from their draft versions first.`,
                { references: refs },
              );
            }
            if (!(await deleteEventRow(trx, projectUid, uid, expected[0]))) throw new StaleWriteError();
            await audit.record(trx, { orgUid: access.orgUid, projectUid, actor, action: 'event.deleted', resourceType: 'event', resourceUid: uid, revision: before.version, summary: { key: before.key } });
          }),
        { conflictCode: CONFLICT, notFoundCode: NOT_FOUND, reread: reread(projectUid, uid) },
      );
      await changes.emit({ projectUid, resource: 'event', resourceUid: uid });
    },

    async eventReferences(actor: Actor, projectUid: string, uid: string): Promise<Reference[]> {
      await authorizeProject(db.kysely, actor, projectUid, 'read');
      if (!(await findEventRow(db.kysely, projectUid, uid))) throw notFound(uid);
      return (await references.eventReferences(db.kysely, projectUid, [uid])).get(uid) ?? [];
    },
  };
}

export type EventService = ReturnType<typeof createEventService>;
