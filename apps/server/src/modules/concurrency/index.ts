/** Optimistic concurrency for Management API resources (decisions.md §6, ADR 0020). */
export { expectedVersions, formatEtag, isStale } from './expected-version.js';
export { uniqueViolation } from './unique-violation.js';
