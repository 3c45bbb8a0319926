import type { Db } from '../../db/create-db.js';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { newSecret, newUid } from '../../shared/ids.js';
import type { AuditRecorder } from '../audit/index.js';
import { digest, normalizeEmail, type Actor, type IdentityService, type LoginClient, type SessionResult, type User } from '../identity/index.js';
import { assertUidFormat, authorizeProject, type ProjectRole } from '../projects/index.js';
import * as repo from './member-repository.js';
import { INVITATION_TTL_MS, invitationRow, type Invitation, type ProjectUserRow } from './member.js';

export interface InviteInput {
  emails: string[];
  message?: string;
  role: ProjectRole;
}

export interface AcceptInput {
  firstName?: string;
  lastName?: string;
  password: string;
}

export interface InvitationInfo {
  email: string;
  projectUid: string;
  projectName: string;
  invitedBy: string;
  accountExists: boolean;
}

export type InvitationService = ReturnType<typeof createInvitationService>;

/** Inviting by link (there is no mail server), revoking, and accepting, which may create the account. */
export function createInvitationService(deps: { db: Db; clock: Clock; audit: AuditRecorder; identity: IdentityService; publicUrl: URL | null }) {
  const { db, clock, audit, identity, publicUrl } = deps;

  function notFound(): NotFoundError {
    // One answer for unknown, used and expired links: the token is the only credential.
    return new NotFoundError('personalize.INVITATIONS.NOT_FOUND', 'This invitation link is invalid, was already used, or has expired.');
  }

  async function findValid(executor: Db['kysely'], token: string) {
    const invitation = await repo.findInvitationByTokenHash(executor, digest(token));
    if (!invitation) throw notFound();
    if (Date.parse(invitation.createdAt) + INVITATION_TTL_MS <= clock.now().getTime()) throw notFound();
    return invitation;
  }

  return {
    async invite(actor: Actor, projectUid: string, input: InviteInput): Promise<ProjectUserRow[]> {
      const emails = [...new Set(input.emails.map(normalizeEmail))];
      return db.kysely.transaction().execute(async (trx) => {
        await authorizeProject(trx, actor, projectUid, 'manage', 'uid');
        const already = await repo.memberEmails(trx, projectUid, emails);
        if (already.length > 0) {
          throw new ConflictError(
            'personalize.MEMBERS.ALREADY_MEMBER',
            `Already a member of this project: ${already.join(', ')}.`,
            { emails: already },
          );
        }
        const rows: ProjectUserRow[] = [];
        for (const email of emails) {
          const token = newSecret();
          const existing = await repo.findInvitationByEmail(trx, projectUid, email);
          const invitation: Invitation = {
            uid: existing?.uid ?? newUid(clock.now().getTime()),
            projectUid,
            email,
            role: input.role,
            message: input.message ?? '',
            invitedBy: actor.userUid,
            invitedByUserName: actor.name,
            createdAt: clock.now().toISOString(),
          };
          if (existing) await repo.refreshInvitation(trx, { ...invitation, tokenHash: digest(token) });
          else await repo.insertInvitation(trx, { ...invitation, tokenHash: digest(token) });
          await audit.record(trx, {
            orgUid: actor.orgUid,
            projectUid,
            actor,
            action: 'member.invited',
            resourceType: 'invitation',
            resourceUid: invitation.uid,
            summary: { email, role: input.role, reinvited: existing !== undefined },
          });
          rows.push(invitationRow(invitation, token, publicUrl));
        }
        return rows;
      });
    },

    async revoke(actor: Actor, projectUid: string, invitationUid: string): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        await authorizeProject(trx, actor, projectUid, 'manage', 'uid');
        assertUidFormat(invitationUid, 'invitationUid');
        const invitation = await repo.findInvitation(trx, projectUid, invitationUid);
        if (!invitation) throw new NotFoundError('personalize.INVITATIONS.NOT_FOUND', `Invitation ${invitationUid} was not found.`);
        await repo.deleteInvitation(trx, invitationUid);
        await audit.record(trx, {
          orgUid: actor.orgUid,
          projectUid,
          actor,
          action: 'invitation.revoked',
          resourceType: 'invitation',
          resourceUid: invitationUid,
          summary: { email: invitation.email },
        });
      });
    },

    /**
     * A new link for a pending invitation (its old link stops working), keeping its role and
     * message and starting its validity again: the only way to share a lost link, since only
     * the link's digest is stored.
     */
    async reissue(actor: Actor, projectUid: string, invitationUid: string): Promise<ProjectUserRow> {
      return db.kysely.transaction().execute(async (trx) => {
        await authorizeProject(trx, actor, projectUid, 'manage', 'uid');
        assertUidFormat(invitationUid, 'invitationUid');
        const existing = await repo.findInvitation(trx, projectUid, invitationUid);
        if (!existing) throw new NotFoundError('personalize.INVITATIONS.NOT_FOUND', `Invitation ${invitationUid} was not found.`);
        const token = newSecret();
        const invitation: Invitation = {
          ...existing,
          invitedBy: actor.userUid,
          invitedByUserName: actor.name,
          createdAt: clock.now().toISOString(),
        };
        await repo.refreshInvitation(trx, { ...invitation, tokenHash: digest(token) });
        await audit.record(trx, {
          orgUid: actor.orgUid,
          projectUid,
          actor,
          action: 'invitation.reissued',
          resourceType: 'invitation',
          resourceUid: invitationUid,
          summary: { email: invitation.email, role: invitation.role },
        });
        return invitationRow(invitation, token, publicUrl);
      });
    },

    /** Public: what the invitation page shows before the invitee accepts. */
    async show(token: string): Promise<InvitationInfo> {
      const invitation = await findValid(db.kysely, token);
      return {
        email: invitation.email,
        projectUid: invitation.projectUid,
        projectName: invitation.projectName,
        invitedBy: invitation.invitedByUserName,
        accountExists: (await identity.findUserByEmail(invitation.email)) !== undefined,
      };
    },

    /**
     * An existing account proves itself with its password; a new one is created as an org Member.
     * Either way the membership is created and the invitation consumed in one transaction.
     */
    async accept(token: string, input: AcceptInput, client: LoginClient): Promise<{ session: SessionResult; projectUid: string }> {
      const pending = await findValid(db.kysely, token);
      const existing = await identity.findUserByEmail(pending.email);
      // Checked before the transaction: scrypt is slow and SQLite has one connection.
      const verified = existing ? await identity.verifyCredentials(pending.email, input.password, client) : undefined;
      if (!existing) {
        const issues = [];
        if (input.firstName === undefined) issues.push({ path: 'user.firstName', message: 'Expected a first name for the new account.' });
        if (input.password.length < 8) issues.push({ path: 'user.password', message: 'Expected at least 8 characters.' });
        if (issues.length > 0) throw new ValidationError(issues);
      }
      const user = await db.kysely.transaction().execute(async (trx): Promise<User> => {
        const invitation = await findValid(trx, token);
        const invitee =
          verified ??
          (await identity.createUser(
            { email: invitation.email, password: input.password, firstName: input.firstName ?? '', lastName: input.lastName ?? '', orgRole: 'MEMBER' },
            trx,
          ));
        const member = await repo.findMember(trx, invitation.projectUid, invitee.uid);
        // Added by other means meanwhile: keep that membership rather than change its role.
        if (!member) {
          await repo.insertMember(trx, {
            projectUid: invitation.projectUid,
            userUid: invitee.uid,
            role: invitation.role,
            invitedByUserName: invitation.invitedByUserName,
            now: clock.now().toISOString(),
          });
        }
        await repo.deleteInvitation(trx, invitation.uid);
        const who = identity.toActor(invitee);
        await audit.record(trx, {
          orgUid: invitation.orgUid,
          projectUid: invitation.projectUid,
          actor: who,
          action: 'invitation.accepted',
          resourceType: 'invitation',
          resourceUid: invitation.uid,
          summary: { email: invitation.email, role: invitation.role, accountCreated: verified === undefined },
        });
        if (!member) {
          await audit.record(trx, {
            orgUid: invitation.orgUid,
            projectUid: invitation.projectUid,
            actor: who,
            action: 'member.added',
            resourceType: 'member',
            resourceUid: invitee.uid,
            summary: { email: invitation.email, role: invitation.role, invitedBy: invitation.invitedByUserName },
          });
        }
        return invitee;
      });
      return { session: await identity.openSession(user, { token: client.deviceToken }), projectUid: pending.projectUid };
    },
  };
}
