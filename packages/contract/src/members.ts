import { z } from 'zod';
import { LoginResponse } from './identity.js';
import { ProjectRole } from './projects.js';

/** One row of Settings → Users: an accepted member or a pending invitation. */
export const ProjectUser = z
  .object({
    /** The user's uid when accepted, the invitation's uid when pending. */
    uid: z.string(),
    userUid: z.string().nullable(),
    name: z.string().nullable(),
    email: z.string(),
    status: z.enum(['ACCEPTED', 'PENDING']),
    role: ProjectRole,
    /** The inviter's name, or `System` for the project's creator. */
    invitedBy: z.string(),
    /** `/invitations/<token>` in the answer that issued the link, and only there: the server keeps its digest alone. */
    invitationUrl: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ProjectUser' });

export const InviteUsersRequest = z.object({
  emails: z
    .array(z.string().trim().pipe(z.email('Expected an email address').max(254)))
    .min(1, 'Expected 1 to 20 email addresses')
    .max(20, 'Expected 1 to 20 email addresses'),
  message: z.string().max(1000, 'Expected at most 1000 characters').optional(),
  role: ProjectRole.default('MEMBER'),
});

export const ChangeMemberRoleRequest = z.object({ role: ProjectRole });

export const ProjectUserParams = z.object({ uid: z.string().max(100), userUid: z.string().max(100) });
export const ProjectInvitationParams = z.object({ uid: z.string().max(100), invitationUid: z.string().max(100) });
export const InvitationTokenParams = z.object({ token: z.string().max(200) });

/** What the public invitation page shows before accepting. */
export const InvitationInfo = z
  .object({
    email: z.string(),
    projectUid: z.string(),
    projectName: z.string(),
    invitedBy: z.string(),
    /** True when the email already has an account: accepting then asks for its password only. */
    accountExists: z.boolean(),
  })
  .meta({ id: 'InvitationInfo' });

/**
 * New account: firstName, lastName and password; existing account: password only. One object
 * rather than a union so each missing field gets its own path in the 400.
 */
export const AcceptInvitationRequest = z.object({
  user: z.object({
    firstName: z.string().trim().min(1, 'Expected a first name').max(100).optional(),
    lastName: z.string().trim().max(100).optional(),
    password: z.string().min(1, 'Expected a password').max(256),
  }),
});

export const AcceptInvitationResponse = LoginResponse.extend({ projectUid: z.string() });

/** An organization user as org Owners/Admins see them. */
export const OrganizationUser = z
  .object({
    uid: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    orgRole: z.enum(['OWNER', 'ADMIN', 'MEMBER']),
    createdAt: z.string(),
  })
  .meta({ id: 'OrganizationUser' });

export type ProjectUser = z.infer<typeof ProjectUser>;
export type InviteUsersRequest = z.infer<typeof InviteUsersRequest>;
export type InvitationInfo = z.infer<typeof InvitationInfo>;
export type AcceptInvitationRequest = z.infer<typeof AcceptInvitationRequest>;
export type AcceptInvitationResponse = z.infer<typeof AcceptInvitationResponse>;
export type OrganizationUser = z.infer<typeof OrganizationUser>;
