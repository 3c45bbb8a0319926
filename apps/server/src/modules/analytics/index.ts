/** What other modules may use of analytics: the service (rollups, summaries, retention). */
export { createAnalyticsService, type AnalyticsService, type AnalyticsServiceDeps } from './analytics-service.js';
