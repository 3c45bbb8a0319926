import type { Kysely } from 'kysely';
import { toIso } from '../../db/mappers.js';
import type { Database } from '../../db/schema.js';
import type { ProjectRole } from '../projects/index.js';
import type { Invitation, Member } from './member.js';

type Executor = Kysely<Database>;

function membersQuery(db: Executor, projectUid: string) {
  return db
    .selectFrom('project_members')
    .innerJoin('users', 'users.uid', 'project_members.user_uid')
    .select([
      'project_members.project_uid',
      'project_members.user_uid',
      'project_members.role',
      'project_members.invited_by_user_name',
      'project_members.created_at',
      'users.first_name',
      'users.last_name',
      'users.email',
    ])
    .where('project_members.project_uid', '=', projectUid);
}

function toMember(r: {
  project_uid: string;
  user_uid: string;
  role: ProjectRole;
  invited_by_user_name: string;
  created_at: string | Date;
  first_name: string;
  last_name: string;
  email: string;
}): Member {
  return {
    projectUid: r.project_uid,
    userUid: r.user_uid,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    role: r.role,
    invitedByUserName: r.invited_by_user_name,
    createdAt: toIso(r.created_at),
  };
}

export async function listMembers(db: Executor, projectUid: string): Promise<Member[]> {
  const rows = await membersQuery(db, projectUid).orderBy('project_members.created_at').orderBy('users.email').execute();
  return rows.map(toMember);
}

export async function findMember(db: Executor, projectUid: string, userUid: string): Promise<Member | undefined> {
  const row = await membersQuery(db, projectUid).where('project_members.user_uid', '=', userUid).executeTakeFirst();
  return row && toMember(row);
}

export async function countOwners(db: Executor, projectUid: string): Promise<number> {
  const row = await db
    .selectFrom('project_members')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('project_uid', '=', projectUid)
    .where('role', '=', 'OWNER')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertMember(
  db: Executor,
  m: { projectUid: string; userUid: string; role: ProjectRole; invitedByUserName: string; now: string },
): Promise<void> {
  await db
    .insertInto('project_members')
    .values({ project_uid: m.projectUid, user_uid: m.userUid, role: m.role, invited_by_user_name: m.invitedByUserName, created_at: m.now })
    .execute();
}

export async function updateMemberRole(db: Executor, projectUid: string, userUid: string, role: ProjectRole): Promise<void> {
  await db.updateTable('project_members').set({ role }).where('project_uid', '=', projectUid).where('user_uid', '=', userUid).execute();
}

export async function deleteMember(db: Executor, projectUid: string, userUid: string): Promise<void> {
  await db.deleteFrom('project_members').where('project_uid', '=', projectUid).where('user_uid', '=', userUid).execute();
}

const INVITATION_COLUMNS = [
  'uid',
  'project_uid',
  'email',
  'role',
  'message',
  'invited_by',
  'invited_by_user_name',
  'created_at',
] as const;

function toInvitation(r: {
  uid: string;
  project_uid: string;
  email: string;
  role: ProjectRole;
  message: string;
  invited_by: string;
  invited_by_user_name: string;
  created_at: string | Date;
}): Invitation {
  return {
    uid: r.uid,
    projectUid: r.project_uid,
    email: r.email,
    role: r.role,
    message: r.message,
    invitedBy: r.invited_by,
    invitedByUserName: r.invited_by_user_name,
    createdAt: toIso(r.created_at),
  };
}

export async function listInvitations(db: Executor, projectUid: string): Promise<Invitation[]> {
  const rows = await db
    .selectFrom('invitations')
    .select(INVITATION_COLUMNS)
    .where('project_uid', '=', projectUid)
    .orderBy('created_at')
    .orderBy('email')
    .execute();
  return rows.map(toInvitation);
}

export async function findInvitation(db: Executor, projectUid: string, uid: string): Promise<Invitation | undefined> {
  const row = await db
    .selectFrom('invitations')
    .select(INVITATION_COLUMNS)
    .where('project_uid', '=', projectUid)
    .where('uid', '=', uid)
    .executeTakeFirst();
  return row && toInvitation(row);
}

export async function findInvitationByEmail(db: Executor, projectUid: string, email: string): Promise<Invitation | undefined> {
  const row = await db
    .selectFrom('invitations')
    .select(INVITATION_COLUMNS)
    .where('project_uid', '=', projectUid)
    .where('email', '=', email)
    .executeTakeFirst();
  return row && toInvitation(row);
}

export async function findInvitationByTokenHash(
  db: Executor,
  tokenHash: string,
): Promise<(Invitation & { projectName: string; orgUid: string }) | undefined> {
  const row = await db
    .selectFrom('invitations')
    .innerJoin('projects', 'projects.uid', 'invitations.project_uid')
    .select(INVITATION_COLUMNS.map((c) => `invitations.${c}` as const))
    .select(['projects.name as project_name', 'projects.org_uid'])
    .where('invitations.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && { ...toInvitation(row), projectName: row.project_name, orgUid: row.org_uid };
}

export async function insertInvitation(db: Executor, invitation: Invitation & { tokenHash: string }): Promise<void> {
  await db
    .insertInto('invitations')
    .values({
      uid: invitation.uid,
      project_uid: invitation.projectUid,
      email: invitation.email,
      role: invitation.role,
      token_hash: invitation.tokenHash,
      message: invitation.message,
      invited_by: invitation.invitedBy,
      invited_by_user_name: invitation.invitedByUserName,
      created_at: invitation.createdAt,
    })
    .execute();
}

/** Re-inviting: a new secret (the old link stops working), role, message, inviter and validity. */
export async function refreshInvitation(db: Executor, invitation: Invitation & { tokenHash: string }): Promise<void> {
  await db
    .updateTable('invitations')
    .set({
      role: invitation.role,
      token_hash: invitation.tokenHash,
      message: invitation.message,
      invited_by: invitation.invitedBy,
      invited_by_user_name: invitation.invitedByUserName,
      created_at: invitation.createdAt,
    })
    .where('uid', '=', invitation.uid)
    .execute();
}

export async function deleteInvitation(db: Executor, uid: string): Promise<void> {
  await db.deleteFrom('invitations').where('uid', '=', uid).execute();
}

/** Accepted members among these emails (lower-cased), to refuse inviting someone already in. */
export async function memberEmails(db: Executor, projectUid: string, emails: readonly string[]): Promise<string[]> {
  if (emails.length === 0) return [];
  const rows = await db
    .selectFrom('project_members')
    .innerJoin('users', 'users.uid', 'project_members.user_uid')
    .select('users.email')
    .where('project_members.project_uid', '=', projectUid)
    .where('users.email', 'in', [...emails])
    .execute();
  return rows.map((r) => r.email);
}
