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

/** A browser that logged in to `user_uid` before; the cookie's secret is stored as its digest. */
export interface KnownDevicesTable {
  token_hash: string;
  user_uid: string;
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
  /** SHA-256 of the link's secret; the secret itself is shown once, when the invitation is made. */
  token_hash: string;
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
  /** Where the change came from: the client address through trusted proxies; null for the system. */
  actor_address: string | null;
  action: string;
  resource_type: string;
  resource_uid: string;
  revision: number | null;
  summary: Json;
  created_at: Time;
  /** Monotonic per database, for stable cursor pagination. */
  seq: ColumnType<number, never, never>;
}

/** Audit fields every Contentstack resource carries (docs/api-conventions.md, "Identifiers and shapes"). */
interface ResourceAuditColumns {
  version: number;
  created_at: Time;
  updated_at: Time;
  created_by: string;
  updated_by: string;
  created_by_user_name: string;
  updated_by_user_name: string;
}

export interface AttributesTable extends ResourceAuditColumns {
  uid: string;
  project_uid: string;
  name: string;
  /** lower(name), for case-insensitive uniqueness. */
  name_key: string;
  key: string;
  description: string;
}

export interface AudiencesTable extends ResourceAuditColumns {
  uid: string;
  project_uid: string;
  name: string;
  name_key: string;
  description: string;
  definition: Json;
}

/** Kept after the audience is deleted; removed with the project. */
export interface AudienceRevisionsTable {
  audience_uid: string;
  project_uid: string;
  number: number;
  action: 'created' | 'updated' | 'restored';
  restored_from: number | null;
  name: string;
  description: string;
  definition: Json;
  summary: Json;
  created_at: Time;
  created_by: string;
  created_by_user_name: string;
}

export interface EventsTable extends ResourceAuditColumns {
  uid: string;
  project_uid: string;
  key: string;
  description: string;
}

/** Per-project counter bumped on every change that affects decisions (ADR 0040). pg returns bigint as a string. */
export interface DecisionRevisionsTable {
  project_uid: string;
  revision: ColumnType<number | string, number, number>;
}

/** A visitor's stored custom attributes, by attribute key. */
export interface VisitorProfilesTable {
  project_uid: string;
  visitor_uid: string;
  attributes: Json;
  created_at: Time;
  updated_at: Time;
}

/** The most recently seen visitors per project, for the impact preview (ADR 0044). */
export interface RecentVisitorsTable {
  project_uid: string;
  visitor_uid: string;
  last_seen_at: Time;
  presets: Json;
  attributes: Json;
}

/** Impressions and conversions ingested by POST /edge/events (ADR 0043). */
export interface EdgeEventsTable {
  uid: string;
  project_uid: string;
  visitor_uid: string;
  type: 'IMPRESSION' | 'EVENT';
  experience_uid: string | null;
  version_uid: string | null;
  variant_short_uid: string | null;
  event_uid: string | null;
  event_key: string | null;
  received_at: Time;
  dedup_key: string;
}

export interface ExperiencesTable {
  uid: string;
  project_uid: string;
  /** Base-36 per-project counter (projects.experience_counter), never reused. */
  short_uid: string;
  name: string;
  description: string;
  type: 'SEGMENTED' | 'AB_TEST';
  tags: Json;
  /** Sort key of the priority order, lowest first. */
  priority: number;
  variant_group: string;
  /** High-water mark of variant shortUids (decimal), never lowered. */
  variant_counter: number;
  cms_variants: Json;
  version: number;
  created_at: Time;
  updated_at: Time;
  created_by: string;
  updated_by: string;
  created_by_user_name: string;
  updated_by_user_name: string;
}

export interface ExperienceVersionsTable {
  uid: string;
  project_uid: string;
  experience_uid: string;
  number: number;
  status: 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'ARCHIVED';
  variants: Json;
  targeting: ColumnType<unknown, string | null, string | null>;
  metrics: Json;
  variant_split: 'EQUAL' | 'CUSTOM' | null;
  activated_at: ColumnType<string | Date | null, string | null, string | null>;
  activated_by: string | null;
  activated_by_user_name: string | null;
  archived_at: ColumnType<string | Date | null, string | null, string | null>;
  version: number;
  created_at: Time;
  updated_at: Time;
  created_by: string;
  updated_by: string;
  created_by_user_name: string;
  updated_by_user_name: string;
}

/** Which audiences and events each version uses, rewritten on every version write (references, delete protection). */
export interface ExperienceVersionReferencesTable {
  project_uid: string;
  experience_uid: string;
  version_uid: string;
  target_kind: 'audience' | 'event';
  target_uid: string;
  via: 'variant' | 'targeting' | 'metric';
  path: string;
}

/** The analytics worker's position in edge_events (ADR 0050). */
export interface AnalyticsCursorsTable {
  name: string;
  received_at: Time;
  event_uid: string;
  updated_at: Time;
}

/** First sight of a visitor per (version, variant): keeps unique impression counts exact. */
export interface AnalyticsImpressionsTable {
  project_uid: string;
  experience_uid: string;
  version_uid: string;
  variant_short_uid: string;
  visitor_uid: string;
  first_at: Time;
  last_at: Time;
}

/** First attributed conversion of a visitor per (version, metric event). */
export interface AnalyticsConversionsTable {
  project_uid: string;
  experience_uid: string;
  version_uid: string;
  event_uid: string;
  visitor_uid: string;
  variant_short_uid: string;
  first_at: Time;
}

/** Hour and day buckets of first sightings; event_uid '' counts impressions. */
export interface AnalyticsRollupsTable {
  project_uid: string;
  experience_uid: string;
  version_uid: string;
  granularity: 'hour' | 'day';
  bucket_at: Time;
  variant_short_uid: string;
  event_uid: string;
  /** pg returns bigint sums as strings; the column itself is an integer. */
  total: ColumnType<number | string, number, number>;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  known_devices: KnownDevicesTable;
  projects: ProjectsTable;
  project_members: ProjectMembersTable;
  invitations: InvitationsTable;
  audit_entries: AuditEntriesTable;
  attributes: AttributesTable;
  audiences: AudiencesTable;
  audience_revisions: AudienceRevisionsTable;
  events: EventsTable;
  decision_revisions: DecisionRevisionsTable;
  visitor_profiles: VisitorProfilesTable;
  recent_visitors: RecentVisitorsTable;
  edge_events: EdgeEventsTable;
  experiences: ExperiencesTable;
  experience_versions: ExperienceVersionsTable;
  experience_version_references: ExperienceVersionReferencesTable;
  analytics_cursors: AnalyticsCursorsTable;
  analytics_impressions: AnalyticsImpressionsTable;
  analytics_conversions: AnalyticsConversionsTable;
  analytics_rollups: AnalyticsRollupsTable;
}

export type { Bool, Json, Time };
