import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/create-db.js';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE } from '../../db/database-unavailable.js';
import { UnavailableError } from '../../shared/errors.js';
import { newOrderedUids } from '../../shared/ids.js';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';
import type { EdgeEventRecord } from './edge-event-repository.js';
import { createEdgeEventWriter, DEFAULT_EDGE_EVENT_WRITER_OPTIONS, EVENTS_OVERLOADED, type EdgeEventWriterOptions } from './edge-event-writer.js';

let t: TestApp;
let project: TestProject;

beforeEach(async () => {
  t = await createTestApp();
  project = await createTestProject(t);
});
afterEach(async () => t.close());

function conversions(visitor: string, count: number, projectUid = project.uid): EdgeEventRecord[] {
  return newOrderedUids(count).map((uid) => ({
    uid,
    projectUid,
    visitorUid: visitor,
    type: 'EVENT',
    experienceUid: null,
    versionUid: null,
    variantShortUid: null,
    eventUid: 'e'.repeat(24),
    eventKey: 'clickCTA',
    receivedAt: t.clock.now().toISOString(),
    dedupKey: `E|${uid}`,
  }));
}

function impression(visitor: string): EdgeEventRecord {
  const [uid = ''] = newOrderedUids(1);
  return {
    uid,
    projectUid: project.uid,
    visitorUid: visitor,
    type: 'IMPRESSION',
    experienceUid: 'x'.repeat(24),
    versionUid: 'v'.repeat(24),
    variantShortUid: '0',
    eventUid: null,
    eventKey: null,
    receivedAt: t.clock.now().toISOString(),
    dedupKey: `I|${visitor}|${'x'.repeat(24)}|${'v'.repeat(24)}|0`,
  };
}

const stored = async () => t.db.kysely.selectFrom('edge_events').select(['visitor_uid', 'type']).where('project_uid', '=', project.uid).execute();

/** Counts the transactions the writer opens, by wrapping the database it is given. */
function countingDb(db: Db): { db: Db; transactions: () => number } {
  let count = 0;
  const kysely = new Proxy(db.kysely, {
    get(target, property, receiver) {
      if (property === 'transaction') {
        return () => {
          count += 1;
          return target.transaction();
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { db: { ...db, kysely }, transactions: () => count };
}

const options = (overrides: Partial<EdgeEventWriterOptions>): EdgeEventWriterOptions => ({ ...DEFAULT_EDGE_EVENT_WRITER_OPTIONS, ...overrides });

describe('edge event writer (group commit)', () => {
  it('commits the rows of concurrent requests in one transaction and answers each after it', async () => {
    const counting = countingDb(t.db);
    const writer = createEdgeEventWriter(counting.db, options({ flushDelayMs: 5 }));
    await Promise.all(Array.from({ length: 20 }, (_, i) => writer.write(conversions(`v${i}`, 10))));
    expect(counting.transactions()).toBe(1);
    expect(await stored()).toHaveLength(200);
    expect(writer.pendingRows).toBe(0);
  });

  it('keeps each request whole while splitting a large backlog into several commits', async () => {
    const counting = countingDb(t.db);
    const writer = createEdgeEventWriter(counting.db, options({ flushDelayMs: 5, maxFlushRows: 25 }));
    await Promise.all(Array.from({ length: 6 }, (_, i) => writer.write(conversions(`v${i}`, 10))));
    // 10 + 10 fit under 25, a third request would not: three commits of two requests each.
    expect(counting.transactions()).toBe(3);
    expect(await stored()).toHaveLength(60);
  });

  it('stores an impression repeated by concurrent requests once', async () => {
    const writer = createEdgeEventWriter(t.db, options({ flushDelayMs: 5 }));
    await Promise.all([writer.write([impression('v1')]), writer.write([impression('v1')]), writer.write([impression('v2')])]);
    await writer.write([impression('v1')]);
    expect((await stored()).map((r) => r.visitor_uid).sort()).toEqual(['v1', 'v2']);
  });

  it('refuses rows beyond the pending bound with a retryable 503 error, storing none of them', async () => {
    const writer = createEdgeEventWriter(t.db, options({ flushDelayMs: 5, maxPendingRows: 25 }));
    const first = writer.write(conversions('v1', 10));
    const second = writer.write(conversions('v2', 10));
    const refused = await writer.write(conversions('v3', 10)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnavailableError);
    expect(refused).toMatchObject({ code: EVENTS_OVERLOADED, retryAfterSeconds: 1 });
    await Promise.all([first, second]);
    await writer.write(conversions('v4', 10));
    expect((await stored()).filter((r) => r.visitor_uid === 'v3')).toHaveLength(0);
    expect(await stored()).toHaveLength(30);
  });

  it('rejects every request of a failed flush and stores nothing of it', async () => {
    const writer = createEdgeEventWriter(t.db, options({ flushDelayMs: 5 }));
    // A project that does not exist breaks the foreign key: the whole flush must roll back.
    const results = await Promise.allSettled([writer.write(conversions('v1', 10)), writer.write(conversions('v2', 1, 'f'.repeat(24)))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await stored()).toHaveLength(0);
    // The writer keeps working after a failed flush.
    await writer.write(conversions('v3', 2));
    expect(await stored()).toHaveLength(2);
  });

  it('refuses the requests of a flush that cannot reach the database with a retryable 503, and recovers with it', async () => {
    let reachable = false;
    const kysely = new Proxy(t.db.kysely, {
      get(target, property, receiver) {
        if (property === 'transaction') {
          return () =>
            reachable ? target.transaction() : { execute: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })) };
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const writer = createEdgeEventWriter({ ...t.db, kysely }, options({ flushDelayMs: 5 }));
    const results = await Promise.allSettled([writer.write(conversions('v1', 3)), writer.write(conversions('v2', 3))]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as unknown;
      expect(reason).toBeInstanceOf(UnavailableError);
      expect(reason).toMatchObject({ code: DATABASE_UNAVAILABLE, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
    }
    expect(writer.pendingRows).toBe(0);
    reachable = true;
    await writer.write(conversions('v3', 2));
    expect(await stored()).toHaveLength(2);
  });

  it('writes what it accepted when closed, then refuses new rows', async () => {
    const writer = createEdgeEventWriter(t.db, options({ flushDelayMs: 1000 }));
    const pending = writer.write(conversions('v1', 3));
    await writer.close();
    await pending;
    expect(await stored()).toHaveLength(3);
    await expect(writer.write(conversions('v2', 1))).rejects.toBeInstanceOf(UnavailableError);
  });
});
