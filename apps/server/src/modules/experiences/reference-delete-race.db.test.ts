import type { KyselyPlugin, QueryId } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { isPostgresRun } from '../../test/test-db.js';
import { createAudience, createEvent, experienceClient, type ExperienceBody } from '../../test/test-experiences.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

/**
 * Holds back the result of the first query matching `when` after `arm()`, until `release()`:
 * lets a test run another transaction in between (ADR 0032's race).
 */
function holdOneQuery() {
  let when: ((sql: string) => boolean) | null = null;
  let held: QueryId | null = null;
  let release = () => {};
  let signalHeld = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const reached = new Promise<void>((resolve) => {
    signalHeld = resolve;
  });
  const plugin: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      if (when !== null && held === null && when(JSON.stringify(node))) {
        held = queryId;
        when = null;
      }
      return node;
    },
    transformResult: async ({ result, queryId }) => {
      if (held === queryId) {
        signalHeld();
        await gate;
      }
      return result;
    },
  };
  return {
    plugin,
    arm: (match: (node: string) => boolean) => {
      when = match;
    },
    reached,
    release,
  };
}

const readsReferences = (node: string) => node.includes('"SelectQueryNode"') && node.includes('"experience_version_references"');
const readsTargetsByUid = (table: string) => (node: string) => node.includes('"SelectQueryNode"') && node.includes(`"name":"${table}"`) && node.includes('"operator":"in"');

/** Waits for `operation`, but gives up after `ms`: with the fix it is blocked on a row lock until the held transaction goes on. */
const settledWithin = (operation: Promise<unknown>, ms: number) => Promise.race([operation, new Promise((resolve) => setTimeout(resolve, ms))]);

// PostgreSQL runs these transactions concurrently; SQLite serializes writing transactions, so the race cannot happen there.
describe.skipIf(!isPostgresRun())('deleting an audience or event while a version save references it (PostgreSQL)', () => {
  let t: TestApp;
  let hold: ReturnType<typeof holdOneQuery>;
  let project: TestProject;
  let api: ReturnType<typeof experienceClient>;
  let experience: ExperienceBody;

  beforeEach(async () => {
    hold = holdOneQuery();
    t = await createTestApp({ kyselyPlugins: [hold.plugin] });
    project = await createTestProject(t);
    api = experienceClient(t, project);
    experience = await api.create({ name: 'Seg', __type: 'SEGMENTED' });
  });
  afterEach(async () => {
    hold.release();
    await t.close();
  });

  const saveUsing = (audience: string) =>
    api.putVersion(experience.uid, experience.latestVersion, { status: 'DRAFT', variants: [{ name: 'v', audiences: [audience], audienceCombinationType: 'OR' }] });

  it('a delete that has read no references still sees the save that commits first, or the save fails cleanly', async () => {
    const audience = await createAudience(t, project, 'US');
    hold.arm(readsReferences);
    const deleting = api.call('DELETE', `/api/audiences/${audience}`);
    await hold.reached;
    const saving = saveUsing(audience);
    await settledWithin(saving, 500);
    hold.release();
    const [deleted, saved] = await Promise.all([deleting, saving]);
    // The delete held the audience's row before reading references, so the save waited for it and found the audience gone.
    expect(deleted.statusCode).toBe(204);
    expect(saved.statusCode).toBe(400);
    expect(JSON.stringify(json(saved))).toContain('variants[0].audiences[0]');
  });

  it('a save that has checked its audiences keeps them until it commits; the delete then sees the reference', async () => {
    const audience = await createAudience(t, project, 'US');
    hold.arm(readsTargetsByUid('audiences'));
    const saving = saveUsing(audience);
    await hold.reached;
    const deleting = api.call('DELETE', `/api/audiences/${audience}`);
    await settledWithin(deleting, 500);
    hold.release();
    const [saved, deleted] = await Promise.all([saving, deleting]);
    expect(saved.statusCode).toBe(200);
    expect(deleted.statusCode).toBe(409);
    expect(json(deleted).error).toBe('personalize.AUDIENCES.REFERENCED');
  });

  it('protects events used as metrics the same way', async () => {
    const ab = await api.create({ name: 'AB', __type: 'AB_TEST' });
    const event = await createEvent(t, project, 'signup');
    hold.arm(readsTargetsByUid('events'));
    const saving = api.putVersion(ab.uid, ab.latestVersion, { status: 'DRAFT', variants: [{ name: 'A' }, { name: 'B' }], metrics: [{ __type: 'Primary', event }] });
    await hold.reached;
    const deleting = api.call('DELETE', `/api/events/${event}`);
    await settledWithin(deleting, 500);
    hold.release();
    const [saved, deleted] = await Promise.all([saving, deleting]);
    expect(saved.statusCode).toBe(200);
    expect(deleted.statusCode).toBe(409);
    expect(json(deleted).error).toBe('personalize.EVENTS.REFERENCED');
  });
});
