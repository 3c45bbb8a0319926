import { toJson } from '../db/mappers.js';
import { newUid } from '../shared/ids.js';
import type { TestApp, TestUser } from './test-app.js';

export interface TestProject {
  uid: string;
  /** Headers for a project-scoped Management API call as `user`. */
  headersFor(user: TestUser): Record<string, string>;
}

/**
 * Inserts a project straight into the database, with the org owner as its creator and the given
 * members, so tests of other modules need not go through the projects API.
 */
export async function createTestProject(
  t: TestApp,
  options: { name?: string; members?: Array<{ user: TestUser; role: 'OWNER' | 'MEMBER' }>; limits?: Record<string, number> } = {},
): Promise<TestProject> {
  const uid = newUid();
  const now = t.clock.now().toISOString();
  const org = await t.app.services.identity.getOrganization();
  await t.db.kysely
    .insertInto('projects')
    .values({
      uid,
      org_uid: org.uid,
      name: options.name ?? `Project ${uid.slice(-6)}`,
      description: '',
      connected_stack_api_key: null,
      limits: toJson(options.limits ?? {}),
      experience_counter: 0,
      created_at: now,
      updated_at: now,
      created_by: t.owner.uid,
      updated_by: t.owner.uid,
      created_by_user_name: 'Owner',
      updated_by_user_name: 'Owner',
    })
    .execute();
  for (const member of options.members ?? []) {
    await t.db.kysely
      .insertInto('project_members')
      .values({ project_uid: uid, user_uid: member.user.uid, role: member.role, invited_by_user_name: 'System', created_at: now })
      .execute();
  }
  return { uid, headersFor: (user) => ({ ...user.headers, 'x-project-uid': uid }) };
}
