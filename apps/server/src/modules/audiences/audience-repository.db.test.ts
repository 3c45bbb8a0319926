import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { createTestProject } from '../../test/test-project.js';
import { insertAudienceRow, updateAudienceRow } from './audience-repository.js';

const definition = { __type: 'RuleCombination' as const, combinationType: 'AND' as const, rules: [] };
const actor = { userUid: 'a'.repeat(24), name: 'Ann' };

describe('audience repository', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('matches a conditional update only at the expected version, in two overlapping transactions', async () => {
    const project = await createTestProject(t);
    const uid = 'b'.repeat(24);
    await insertAudienceRow(t.db.kysely, uid, project.uid, { name: 'Gold', description: '', definition }, actor, '2026-11-29T12:00:00.000Z');
    const write = (description: string) =>
      t.db.kysely.transaction().execute((trx) => updateAudienceRow(trx, project.uid, uid, 1, { name: 'Gold', description, definition }, actor, '2026-11-29T12:01:00.000Z'));
    const [a, b] = await Promise.all([write('a'), write('b')]);
    expect([a, b].filter((r) => r !== undefined)).toHaveLength(1);
    expect((a ?? b)?.version).toBe(2);
    expect(await updateAudienceRow(t.db.kysely, project.uid, uid, undefined, { name: 'Gold', description: 'c', definition }, actor, '2026-11-29T12:02:00.000Z')).toMatchObject({ version: 3, description: 'c' });
  });

  it('refuses a second audience with the same name in the database itself (lower-cased)', async () => {
    const project = await createTestProject(t);
    await insertAudienceRow(t.db.kysely, 'c'.repeat(24), project.uid, { name: 'Gold', description: '', definition }, actor, '2026-11-29T12:00:00.000Z');
    await expect(insertAudienceRow(t.db.kysely, 'd'.repeat(24), project.uid, { name: 'GOLD', description: '', definition }, actor, '2026-11-29T12:00:00.000Z')).rejects.toThrow();
  });
});
