/**
 * Shared mechanics of versioned, audited project resources (attributes, audiences, events, and
 * experiences if they want them): ETags and expected versions (ADR 0020), lost races, unique-index
 * races, audit-field columns.
 */
export { expectedVersions, formatEtag, isStale } from './expected-version.js';
export { answerStaleWrite, StaleWriteError, versionConflict } from './stale-write.js';
export { uniqueViolation } from './unique-violation.js';
export { metaFromRow, newMetaColumns, touchedMetaColumns, type ResourceMeta } from './resource-row.js';
