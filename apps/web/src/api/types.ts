// Shapes of the Management API as the console uses them. TODO: replace with types inferred from
// `@tailor/contract` once its schemas for sessions, projects and members land.

export type OrgRole = 'OWNER' | 'ADMIN' | 'MEMBER';
export type ProjectRole = 'OWNER' | 'MEMBER';

export interface CurrentUser {
  uid: string;
  email: string;
  firstName: string;
  lastName: string;
  orgRole: OrgRole;
  organization: { uid: string; name: string };
}

export interface LoginAnswer {
  notice: string;
  user: { uid: string; email: string; firstName: string; lastName: string; authtoken: string };
}

export interface SetupStatus {
  needsSetup: boolean;
}

export interface Project {
  uid: string;
  _id: string;
  name: string;
  description: string;
  organizationUid: string;
  connectedStackApiKey: string | null;
  audienceCount: number;
  activeExperienceCount: number;
  userCount: number;
  currentUserRole: ProjectRole | null;
  /** True for the project's Owners and for org Owners/Admins: they may change settings and users. */
  canManage: boolean;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
  createdByUserName: string;
  updatedByUserName: string;
}

export interface ProjectInput {
  name: string;
  description: string;
}

export interface ProjectUser {
  /** The user's uid when accepted, the invitation's uid when pending. */
  uid: string;
  userUid: string | null;
  name: string | null;
  email: string;
  status: 'ACCEPTED' | 'PENDING';
  role: ProjectRole;
  invitedBy: string;
  /** Path such as `/invitations/<token>`; only for pending rows, shared by hand (no mail server). */
  invitationUrl: string | null;
  createdAt: string;
}

export interface InvitationInput {
  emails: string[];
  message?: string;
  role?: ProjectRole;
}

export interface Invitation {
  email: string;
  projectUid: string;
  projectName: string;
  invitedBy: string;
  accountExists: boolean;
}

export type AcceptInvitationInput =
  | { user: { firstName: string; lastName: string; password: string } }
  | { user: { password: string } };

export type AcceptInvitationAnswer = LoginAnswer & { projectUid: string };

export interface SetupInput {
  organizationName: string;
  user: { email: string; password: string; firstName: string; lastName: string };
}
