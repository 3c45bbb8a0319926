import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AnalyticsSummary,
  AnalyticsSummaryQuery,
  AnalyticsTimeSeries,
  AnalyticsTimeSeriesQuery,
  ProjectHeaders,
  ResourceUidParams,
  errorResponses,
} from '@tailor/contract';
import { projectUidFromHeader, requireActor } from '../../http/authentication.js';
import type { Services } from '../../services.js';

const TAGS = ['Analytics'];
const readErrors = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] };

/** Contentstack's analytics endpoints (spec §2.3 rows 24–25); any project member may read them. */
export const analyticsRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { analytics } = services;

  app.get(
    '/experiences/:uid/analytics/summary',
    {
      schema: {
        tags: TAGS,
        summary: 'Analytics summary of an experience version',
        description:
          'Unique impressions per variant; per metric event unique converters attributed to an impression within 30 days, conversion rate, ' +
          'lift against the first variant with a 95% credible interval, and probability to be best (Beta posteriors, 15,000 seeded draws). ' +
          'Insights need ≥ 1,000 impressions or ≥ 30 primary conversions; a winner needs P2BB ≥ 95% and 14 full days since activation. ' +
          'A/B tests get a sample-ratio-mismatch check (chi-square, flagged at p < 0.001). 404 `personalize.ANALYTICS.SUMMARY_NOT_FOUND` without data.',
        headers: ProjectHeaders,
        params: ResourceUidParams,
        querystring: AnalyticsSummaryQuery,
        response: { 200: AnalyticsSummary, ...readErrors },
      },
    },
    async (request) => analytics.summary(requireActor(request), projectUidFromHeader(request), request.params.uid, request.query.version),
  );

  app.get(
    '/experiences/:uid/analytics/time-series',
    {
      schema: {
        tags: TAGS,
        summary: 'Analytics time series of an experience version, with audience-edit annotations',
        description:
          'Zero-filled hour or day buckets per variant over [from, to) (UTC), and every revision of an audience the version uses within the range. ' +
          '400 when from is after to, from is outside the retention window, or the range holds more than 10,000 buckets; ' +
          '404 `personalize.ANALYTICS.TIME_SERIES_ANALYTICS_NOT_FOUND` when the range has no data.',
        headers: ProjectHeaders,
        params: ResourceUidParams,
        querystring: AnalyticsTimeSeriesQuery,
        response: { 200: AnalyticsTimeSeries, ...readErrors },
      },
    },
    async (request) => analytics.timeSeries(requireActor(request), projectUidFromHeader(request), request.params.uid, request.query),
  );
};
