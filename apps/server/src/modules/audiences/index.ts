/** What other modules may use of audiences: read models, the attribute-usage port, the services. */
export { audienceAttributeUsage, audienceStatsSource, findAudiencesByUids, findAudiencesForReference, listAudienceDefinitions } from './audience-read-model.js';
export { attributeUsages, type Audience, type AudienceRevision, type ChangeSummary, type ImpactFigures } from './audience.js';
export { checkDefinition } from './audience-definition.js';
export { audienceNotFound } from './audience-service.js';
export { createAudienceService, type AudienceService } from './audience-service.js';
export { createAudienceRevisionService, type AudienceRevisionService } from './audience-revision-service.js';
