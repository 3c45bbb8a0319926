/** The impact preview of an audience edit (ADR 0070): who it moves among recent visitors, and which live experiences it changes. */
export { createImpactService, type ImpactService, type ImpactServiceDeps } from './impact-service.js';
export { createImpactSampleSource, type ImpactSampleSource } from './impact-sample.js';
