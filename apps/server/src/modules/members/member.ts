import type { ProjectRole } from '../projects/index.js';

/** An accepted member of a project. */
export interface Member {
  projectUid: string;
  userUid: string;
  firstName: string;
  lastName: string;
  email: string;
  role: ProjectRole;
  invitedByUserName: string;
  createdAt: string;
}

/** A pending invitation: the link is the only delivery channel, as there is no mail server. */
export interface Invitation {
  uid: string;
  projectUid: string;
  email: string;
  role: ProjectRole;
  message: string;
  invitedBy: string;
  invitedByUserName: string;
  createdAt: string;
}

/** One row of Settings → Users. */
export interface ProjectUserRow {
  uid: string;
  userUid: string | null;
  name: string | null;
  email: string;
  status: 'ACCEPTED' | 'PENDING';
  role: ProjectRole;
  invitedBy: string;
  invitationUrl: string | null;
  createdAt: string;
}

/** How long an invitation link stays valid; re-inviting the email starts it again. */
export const INVITATION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** The link's address: absolute under PUBLIC_URL when one is configured, else a path the console prefixes. */
export function invitationUrl(token: string, publicUrl: URL | null): string {
  const path = `/invitations/${token}`;
  return publicUrl === null ? path : new URL(path, publicUrl).toString();
}

export function memberRow(member: Member): ProjectUserRow {
  const name = `${member.firstName} ${member.lastName}`.trim();
  return {
    uid: member.userUid,
    userUid: member.userUid,
    name: name === '' ? null : name,
    email: member.email,
    status: 'ACCEPTED',
    role: member.role,
    invitedBy: member.invitedByUserName,
    invitationUrl: null,
    createdAt: member.createdAt,
  };
}

/**
 * `token` is the link's secret, known only while answering the request that created it: the
 * database keeps its digest, so a listed invitation has no link to show.
 */
export function invitationRow(invitation: Invitation, token: string | null, publicUrl: URL | null = null): ProjectUserRow {
  return {
    uid: invitation.uid,
    userUid: null,
    name: null,
    email: invitation.email,
    status: 'PENDING',
    role: invitation.role,
    invitedBy: invitation.invitedByUserName,
    invitationUrl: token === null ? null : invitationUrl(token, publicUrl),
    createdAt: invitation.createdAt,
  };
}
