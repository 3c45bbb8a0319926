/** The audit log: services record entries inside their transactions; reads go through the list query. */
export type { AuditEntry, AuditEntryInput } from './audit.js';
export { createAuditRecorder, type AuditRecorder } from './audit-recorder.js';
export { listAuditEntries, type AuditQuery } from './audit-repository.js';
