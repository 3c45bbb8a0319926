// Shapes of the Management API as the console uses them, inferred from the schemas the server
// validates with (`@tailor/contract`), so the two cannot drift apart. Request types are the
// schemas' inputs: fields with server-side defaults may be left out.
import type {
  AcceptInvitationRequest,
  AcceptInvitationResponse,
  CreateProjectRequest,
  CurrentUser as CurrentUserSchema,
  InvitationInfo,
  InviteUsersRequest,
  LoginResponse,
  OrgRole as OrgRoleSchema,
  Project as ProjectSchema,
  ProjectRole as ProjectRoleSchema,
  ProjectUser as ProjectUserSchema,
  SetupRequest,
  SetupStatus as SetupStatusSchema,
} from '@tailor/contract';
import type { z } from 'zod';

export type OrgRole = z.infer<typeof OrgRoleSchema>;
export type ProjectRole = z.infer<typeof ProjectRoleSchema>;
export type CurrentUser = z.infer<typeof CurrentUserSchema>;
export type LoginAnswer = z.infer<typeof LoginResponse>;
export type SetupStatus = z.infer<typeof SetupStatusSchema>;
export type SetupInput = z.input<typeof SetupRequest>;
export type Project = z.infer<typeof ProjectSchema>;
export type ProjectInput = z.input<typeof CreateProjectRequest>;
export type ProjectUser = z.infer<typeof ProjectUserSchema>;
export type InvitationInput = z.input<typeof InviteUsersRequest>;
export type Invitation = z.infer<typeof InvitationInfo>;
export type AcceptInvitationInput = z.input<typeof AcceptInvitationRequest>;
export type AcceptInvitationAnswer = z.infer<typeof AcceptInvitationResponse>;
