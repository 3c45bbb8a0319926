import type { Db } from '../../db/create-db.js';
import type { ChangeEvents } from '../../shared/change-events.js';
import { NotFoundError, RuleViolationError } from '../../shared/errors.js';
import type { AuditRecorder } from '../audit/index.js';
import type { Actor } from '../identity/index.js';
import { assertUidFormat, authorizeProject, type ProjectRole } from '../projects/index.js';
import * as repo from './member-repository.js';
import { invitationRow, memberRow, type Member, type ProjectUserRow } from './member.js';

export const LAST_OWNER = 'personalize.MEMBERS.LAST_OWNER';

export type MemberService = ReturnType<typeof createMemberService>;

/** Accepted members of a project: list (with pending invitations), change a role, remove. */
export function createMemberService(deps: { db: Db; audit: AuditRecorder; changes: ChangeEvents }) {
  const { db, audit, changes } = deps;

  async function getMember(executor: Db['kysely'], projectUid: string, userUid: string): Promise<Member> {
    assertUidFormat(userUid, 'userUid');
    const member = await repo.findMember(executor, projectUid, userUid);
    if (!member) throw new NotFoundError('personalize.MEMBERS.NOT_FOUND', `User ${userUid} is not a member of this project.`);
    return member;
  }

  /** Owners are what keeps a project manageable by someone other than org admins. */
  async function assertNotLastOwner(executor: Db['kysely'], member: Member, action: string): Promise<void> {
    if (member.role === 'OWNER' && (await repo.countOwners(executor, member.projectUid)) <= 1) {
      throw new RuleViolationError(LAST_OWNER, `Cannot ${action} ${member.email}: a project must keep at least one Owner.`);
    }
  }

  return {
    /** Any member may read the list. Links are shown once, when issued: the database keeps only their digest. */
    async listProjectUsers(actor: Actor, projectUid: string): Promise<ProjectUserRow[]> {
      const access = await authorizeProject(db.kysely, actor, projectUid, 'read', 'uid');
      const [members, invitations] = await Promise.all([
        repo.listMembers(db.kysely, access.projectUid),
        repo.listInvitations(db.kysely, access.projectUid),
      ]);
      return [...members.map(memberRow), ...invitations.map((i) => invitationRow(i, null))];
    },

    async changeRole(actor: Actor, projectUid: string, userUid: string, role: ProjectRole): Promise<ProjectUserRow> {
      const updated = await db.kysely.transaction().execute(async (trx) => {
        await authorizeProject(trx, actor, projectUid, 'manage', 'uid');
        const member = await getMember(trx, projectUid, userUid);
        if (member.role === role) return member;
        if (role === 'MEMBER') await assertNotLastOwner(trx, member, 'demote');
        await repo.updateMemberRole(trx, projectUid, userUid, role);
        await audit.record(trx, {
          orgUid: actor.orgUid,
          projectUid,
          actor,
          action: 'member.role_changed',
          resourceType: 'member',
          resourceUid: userUid,
          summary: { email: member.email, from: member.role, to: role },
        });
        return { ...member, role };
      });
      await changes.emit({ projectUid, resource: 'project', resourceUid: projectUid });
      return memberRow(updated);
    },

    async removeMember(actor: Actor, projectUid: string, userUid: string): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        await authorizeProject(trx, actor, projectUid, 'manage', 'uid');
        const member = await getMember(trx, projectUid, userUid);
        await assertNotLastOwner(trx, member, 'remove');
        await repo.deleteMember(trx, projectUid, userUid);
        await audit.record(trx, {
          orgUid: actor.orgUid,
          projectUid,
          actor,
          action: 'member.removed',
          resourceType: 'member',
          resourceUid: userUid,
          summary: { email: member.email, role: member.role },
        });
      });
      await changes.emit({ projectUid, resource: 'project', resourceUid: projectUid });
    },
  };
}
