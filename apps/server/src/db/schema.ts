import type { ColumnType } from 'kysely';

/**
 * Table shapes as Kysely sees them. JSON columns are text in SQLite and jsonb in PostgreSQL,
 * times are ISO text and timestamptz: always read them through `db/mappers.ts`.
 */
type Json = ColumnType<unknown, string, string>;
type Time = ColumnType<string | Date, string, string>;
type Bool = ColumnType<boolean | number, boolean | number, boolean | number>;

export interface OrganizationsTable {
  uid: string;
  name: string;
  created_at: Time;
  updated_at: Time;
}

export interface UsersTable {
  uid: string;
  org_uid: string;
  email: string;
  first_name: string;
  last_name: string;
  password_hash: string;
  org_role: 'OWNER' | 'ADMIN' | 'MEMBER';
  created_at: Time;
  updated_at: Time;
}

export interface SessionsTable {
  token_hash: string;
  user_uid: string;
  csrf_token: string;
  created_at: Time;
  expires_at: Time;
}

export interface ProjectsTable {
  uid: string;
  org_uid: string;
  name: string;
  description: string;
  connected_stack_api_key: string | null;
  /** Per-project overrides of the default limits, set by an org Owner. */
  limits: Json;
  experience_counter: number;
  created_at: Time;
  updated_at: Time;
  created_by: string;
  updated_by: string;
  created_by_user_name: string;
  updated_by_user_name: string;
}

export interface ProjectMembersTable {
  project_uid: string;
  user_uid: string;
  role: 'OWNER' | 'MEMBER';
  invited_by_user_name: string;
  created_at: Time;
}

export interface InvitationsTable {
  uid: string;
  project_uid: string;
  email: string;
  role: 'OWNER' | 'MEMBER';
  token_hash: string;
  /** Kept so the owner can copy the link again; the link is the only delivery channel (no mail). */
  token: string;
  message: string;
  invited_by: string;
  invited_by_user_name: string;
  created_at: Time;
}

export interface AuditEntriesTable {
  uid: string;
  org_uid: string;
  project_uid: string | null;
  actor_uid: string | null;
  actor_name: string;
  action: string;
  resource_type: string;
  resource_uid: string;
  revision: number | null;
  summary: Json;
  created_at: Time;
  /** Monotonic per database, for stable cursor pagination. */
  seq: ColumnType<number, never, never>;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  projects: ProjectsTable;
  project_members: ProjectMembersTable;
  invitations: InvitationsTable;
  audit_entries: AuditEntriesTable;
}

export type { Bool, Json, Time };
