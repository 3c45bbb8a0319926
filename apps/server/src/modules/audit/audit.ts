/** One line of the audit log: who did what to which resource, and the revision it produced. */
export interface AuditEntryInput {
  orgUid: string;
  projectUid: string | null;
  /** null for the system (start-up bootstrap, CLI). */
  actor: { userUid: string; name: string; address?: string | undefined } | null;
  /** `<resource>.<verb>`, e.g. `audience.updated`, `project.deleted`, `member.role_changed`. */
  action: string;
  resourceType: string;
  resourceUid: string;
  revision?: number | null;
  summary: Record<string, unknown>;
}

export interface AuditEntry extends Omit<AuditEntryInput, 'actor'> {
  uid: string;
  seq: number;
  actorUid: string | null;
  actorName: string;
  actorAddress: string | null;
  revision: number | null;
  createdAt: string;
}
