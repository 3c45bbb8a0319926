/** The reference read model: what uses an attribute, audience or event (ADR 0022). */
export { combineReferenceSources, countReferrers, type Reference, type ReferenceSource } from './reference-source.js';
