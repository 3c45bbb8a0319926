/**
 * Visitors: stored custom attributes per visitor (profiles) and the recent-visitor record that
 * the impact preview samples. Used by the edge (reads and writes) and by the audiences' preview.
 */
export { createVisitorProfileService, type VisitorProfileService } from './visitor-profile-service.js';
export { createRecentVisitorRecorder, type RecentVisitorRecorder } from './recent-visitor-recorder.js';
export { listRecentVisitors, type RecentVisitorRow } from './recent-visitor-repository.js';
export { applyAttributesPatch, type VisitorAttributes, type VisitorAttributesPatch, type VisitorPresets } from './visitor.js';
