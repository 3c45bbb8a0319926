/** Domain types of identity: who is calling and with which organization role. */
export type OrgRole = 'OWNER' | 'ADMIN' | 'MEMBER';

export interface User {
  uid: string;
  orgUid: string;
  email: string;
  firstName: string;
  lastName: string;
  orgRole: OrgRole;
  createdAt: string;
}

/** The authenticated caller of a Management API request. */
export interface Actor {
  userUid: string;
  orgUid: string;
  orgRole: OrgRole;
  email: string;
  name: string;
  /** The client address of the request acting (set per request; absent for the system and the CLI). */
  address?: string | undefined;
}

export function displayName(user: Pick<User, 'firstName' | 'lastName' | 'email'>): string {
  const name = `${user.firstName} ${user.lastName}`.trim();
  return name === '' ? user.email : name;
}

export function isOrgAdmin(actor: Pick<Actor, 'orgRole'>): boolean {
  return actor.orgRole === 'OWNER' || actor.orgRole === 'ADMIN';
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
