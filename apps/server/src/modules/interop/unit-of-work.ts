import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../../db/create-db.js';
import type { Database } from '../../db/schema.js';
import type { ChangeEvents, ProjectChange } from '../../shared/change-events.js';
import type { Clock } from '../../shared/clock.js';
import { createAttributeService } from '../attributes/index.js';
import type { AuditRecorder } from '../audit/index.js';
import { audienceAttributeUsage, createAudienceRevisionService, createAudienceService } from '../audiences/index.js';
import { createEventService } from '../events/index.js';
import { createExperienceService, createVersionService, experienceReferenceSource } from '../experiences/index.js';
import { createProjectService } from '../projects/index.js';
import { combineReferenceSources } from '../references/index.js';

/**
 * A whole-project import must be all or nothing (ADR 0061), yet every use case it needs (create
 * an attribute, activate a version, …) opens its own transaction. Rather than re-implement those
 * use cases with their validation, the import runs the real services over a `Db` whose executor is
 * one open transaction: their `transaction()` joins it instead of starting a new one.
 */
function joinedTransaction(trx: Transaction<Database>): Kysely<Database> {
  const joined = { execute: <T>(run: (t: Transaction<Database>) => Promise<T>): Promise<T> => run(trx) };
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return () => joined;
      const value: unknown = Reflect.get(target, property, target);
      // Kysely keeps its state in #private fields, which only the real object can read.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Change notifications are held until the outer transaction commits: a listener (the edge
 * snapshot cache) must not read, or wait for the connection, before the data is there.
 */
function bufferedChanges(): ChangeEvents & { drain(): ProjectChange[] } {
  let pending: ProjectChange[] = [];
  return {
    async emit(change) {
      pending.push(change);
    },
    subscribe() {
      return () => undefined;
    },
    drain() {
      const out = pending;
      pending = [];
      return out;
    },
  };
}

export interface UnitOfWorkDeps {
  db: Db;
  clock: Clock;
  audit: AuditRecorder;
  changes: ChangeEvents;
}

/** The services a project import or export uses, all bound to one transaction. */
function servicesIn(trx: Transaction<Database>, deps: UnitOfWorkDeps, changes: ChangeEvents) {
  const db: Db = { ...deps.db, kysely: joinedTransaction(trx) };
  const resourceDeps = { db, clock: deps.clock, audit: deps.audit, changes };
  const references = combineReferenceSources([experienceReferenceSource]);
  return {
    /** For authorization checks inside the transaction. */
    kysely: db.kysely,
    projects: createProjectService({ db, clock: deps.clock, audit: deps.audit, changes, stats: [] }),
    attributes: createAttributeService({ ...resourceDeps, usage: audienceAttributeUsage }),
    audiences: createAudienceService({ ...resourceDeps, references }),
    audienceRevisions: createAudienceRevisionService(resourceDeps),
    events: createEventService({ ...resourceDeps, references }),
    experiences: createExperienceService(resourceDeps),
    versions: createVersionService(resourceDeps),
  };
}

export type UnitOfWorkServices = ReturnType<typeof servicesIn>;

/** Thrown inside the transaction to roll a dry run back; carries the rehearsal's result out. */
class Rollback<T> extends Error {
  constructor(readonly result: T) {
    super('rolled back');
  }
}

/**
 * Runs `work` with services bound to one transaction. `rollback: true` rehearses it and undoes
 * everything (a dry run); otherwise it commits, and then the buffered change events are emitted.
 */
export async function inOneTransaction<T>(deps: UnitOfWorkDeps, options: { rollback: boolean }, work: (services: UnitOfWorkServices) => Promise<T>): Promise<T> {
  const changes = bufferedChanges();
  try {
    const result = await deps.db.kysely.transaction().execute(async (trx) => {
      const out = await work(servicesIn(trx, deps, changes));
      if (options.rollback) throw new Rollback(out);
      return out;
    });
    for (const change of changes.drain()) await deps.changes.emit(change);
    return result;
  } catch (error) {
    if (error instanceof Rollback) return error.result as T;
    throw error;
  }
}
