/** The Edge API (spec §3): manifest, user attributes, merge, events. */
export { createEdgeServices, type EdgeServices, type EdgeSetupDeps } from './edge-setup.js';
export type { EdgeService, ManifestResult } from './edge-service.js';
export type { EdgeEventService, EventsResult } from './edge-event-service.js';
