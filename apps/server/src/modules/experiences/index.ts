/**
 * What other modules may use of experiences: the services (composition root), the read models the
 * edge and the projects list need, and the references experiences contribute to audiences and events.
 */
export { createExperienceService, type ExperienceService } from './experience-service.js';
export { createVersionService, type VersionService } from './version-service.js';
export { experienceReferenceSource } from './experience-references.js';
export {
  countActiveExperiences,
  findExperiencesByShortUids,
  listExperiencesForDecisions,
  type ExperienceDecisionInput,
} from './decision-read-model.js';
export { experienceStatsSource } from './experience-stats.js';
