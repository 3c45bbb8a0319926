/**
 * Decisions: the per-project compiled snapshot the edge decides from (ADR 0040). Nothing else
 * reads experiences or audiences on the edge's request path.
 */
export { createDecisionCache, type DecisionCache, type DecisionCacheOptions, type SnapshotBuild } from './decision-cache.js';
export { createDecisionSource, type ExperienceDecisionReader } from './decision-source.js';
export type { DecisionExperienceInput, DecisionInputs, DecisionSource } from './decision-inputs.js';
export { compileProjectSnapshot, type ProjectSnapshot, type SnapshotExperienceInfo } from './project-snapshot.js';
