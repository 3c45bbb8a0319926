import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateTo, migrateToLatest } from '../../db/migrator.js';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createTestProject } from '../../test/test-project.js';

describe('dropping the plain invitation tokens', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('keeps invitations made before it working through their digest, and removes the plain copy', async () => {
    t = await createTestApp();
    const project = await createTestProject(t);
    const invited = await t.app.inject({ method: 'POST', url: `/api/projects/${project.uid}/invitations`, headers: t.owner.headers, payload: { emails: ['old@example.com'] } });
    const token = json<Array<{ invitationUrl: string }>>(invited)[0]?.invitationUrl.split('/').pop() ?? '';

    // The schema as it was, with the secret stored beside its digest.
    expect(await migrateTo(t.db, '20261129050000_drop_unused_edge_event_indexes')).toContain('20261203000000_drop_plain_invitation_tokens');
    await sql`update invitations set token = ${token}`.execute(t.db.kysely);
    await migrateToLatest(t.db);

    const dump = JSON.stringify(await t.db.kysely.selectFrom('invitations').selectAll().execute());
    expect(dump).not.toContain(token);
    const shown = await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` });
    expect(shown.statusCode).toBe(200);
    expect(json(shown)).toMatchObject({ email: 'old@example.com', projectUid: project.uid });
  });
});
