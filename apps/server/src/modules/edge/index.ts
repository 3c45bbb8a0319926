/** The Edge API (spec §3): manifest, user attributes, merge, events. */
export { createEdgeServices, type EdgeServices, type EdgeSetupDeps } from './edge-setup.js';
export type { EdgeService, ManifestCounts, ManifestResult } from './edge-service.js';
export { EDGE_EVENT_REJECTIONS, type EdgeEventCounts, type EdgeEventRejection, type EdgeEventService, type EventsResult } from './edge-event-service.js';
