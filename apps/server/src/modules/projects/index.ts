/** What other modules may use of projects: the authorization check, limits, and the stats port. */
export { assertUidFormat, authorizeProject, type ProjectAccess, type ProjectPermission } from './project-access.js';
export { DEFAULT_LIMITS, resolveLimits, type ProjectLimits } from './project-limits.js';
export type { ProjectStats, ProjectStatsSource } from './project-stats.js';
export { createProjectService, type ProjectService } from './project-service.js';
export type { ProjectRole } from './project.js';
