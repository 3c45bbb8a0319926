import { z } from 'zod';

export const OrgRole = z.enum(['OWNER', 'ADMIN', 'MEMBER']);

const Email = z.email('Expected an email address').max(254);
const Password = z.string().min(8, 'Expected at least 8 characters').max(256);
const PersonName = z.string().trim().max(100);

export const LoginRequest = z.object({
  user: z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(256) }),
});

export const SessionUser = z.object({
  uid: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  authtoken: z.string(),
});

export const LoginResponse = z.object({ notice: z.string(), user: SessionUser });

export const SetupStatus = z.object({ needsSetup: z.boolean() });

export const SetupRequest = z.object({
  organizationName: z.string().trim().min(1, 'Expected a name').max(200),
  user: z.object({ email: Email, password: Password, firstName: PersonName.min(1, 'Expected a first name'), lastName: PersonName }),
});

export const CurrentUser = z.object({
  uid: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  orgRole: OrgRole,
  organization: z.object({ uid: z.string(), name: z.string() }),
});

export const CreateUserRequest = z.object({
  email: Email,
  password: Password,
  firstName: PersonName.min(1),
  lastName: PersonName,
  orgRole: OrgRole,
});

export type LoginResponse = z.infer<typeof LoginResponse>;
export type CurrentUser = z.infer<typeof CurrentUser>;
