import { z } from 'zod';
import { Timestamp } from './common.js';

/** Analytics of an experience version (issue 7; spec §1.7, §2.3 rows 24–25). */

const VersionQuery = z
  .string()
  .regex(/^[0-9a-f]{24}$/, 'Expected a 24-character lowercase hex version uid')
  .optional()
  .describe('Version uid (one analytics period); default: the active version, else the latest activated one');

export const AnalyticsSummaryQuery = z.object({ version: VersionQuery });

export const AnalyticsTimeSeriesQuery = z.object({
  version: VersionQuery,
  from: z.string().optional().describe('ISO-8601 start (inclusive); default: activation, clipped to the retention window'),
  to: z.string().optional().describe('ISO-8601 end (exclusive); default: now'),
  interval: z
    .enum(['day', 'hour'], { error: (i) => `Expected "day" or "hour", received ${JSON.stringify(i.input)}` })
    .default('day'),
});

export const AnalyticsPeriod = z
  .object({
    versionUid: z.string(),
    versionNumber: z.number().int(),
    status: z.enum(['DRAFT', 'ACTIVE', 'PAUSED', 'ARCHIVED']),
    activatedAt: Timestamp.nullable(),
    endedAt: Timestamp.nullable().describe('When the version was archived (the period closed), or null'),
    dataCollectedAt: Timestamp.describe('Every event received up to this instant is counted'),
  })
  .meta({ id: 'AnalyticsPeriod' });

export const AnalyticsMetric = z
  .object({ event: z.string().describe('Event uid'), key: z.string().nullable(), primary: z.boolean() })
  .meta({ id: 'AnalyticsMetric' });

export const Lift = z
  .object({
    expected: z.number().nullable().describe('(rate − control rate) / control rate; null when the control has no conversions'),
    lower: z.number().describe('2.5% quantile of the posterior relative difference'),
    upper: z.number().describe('97.5% quantile of the posterior relative difference'),
  })
  .meta({ id: 'Lift' });

export const VariantMetricResult = z
  .object({
    event: z.string(),
    conversions: z.number().int().describe('Unique visitors who converted within 30 days of an impression'),
    conversionRate: z.number(),
    lift: Lift.nullable().describe('Against the first variant (the control); null for the control and before insights'),
    probabilityToBeBest: z.number().nullable().describe('Bayesian, 15,000 seeded draws; null before insights'),
  })
  .meta({ id: 'VariantMetricResult' });

export const VariantSummary = z
  .object({
    shortUid: z.string(),
    name: z.string(),
    impressions: z.number().int().describe('Unique visitors'),
    metrics: z.array(VariantMetricResult),
  })
  .meta({ id: 'VariantSummary' });

export const SampleRatioMismatch = z
  .object({
    pValue: z.number(),
    flagged: z.boolean().describe('p < 0.001: the split visitors got is not the configured one'),
    expected: z.array(z.number()),
    observed: z.array(z.number()),
  })
  .meta({ id: 'SampleRatioMismatch' });

export const AnalyticsSummary = z
  .object({
    experienceUid: z.string(),
    type: z.enum(['SEGMENTED', 'AB_TEST']),
    period: AnalyticsPeriod,
    metrics: z.array(AnalyticsMetric),
    insightsAvailable: z.boolean().describe('≥ 1,000 impressions or ≥ 30 primary conversions'),
    winner: z.object({ shortUid: z.string(), name: z.string(), probabilityToBeBest: z.number() }).nullable(),
    winnerReason: z
      .string()
      .nullable()
      .describe('Why there is no winner: "no primary metric", "not enough data yet", "needs 14 days", "no variant is 95% likely to be best"'),
    srm: SampleRatioMismatch.nullable().describe('A/B tests only'),
    variants: z.array(VariantSummary),
  })
  .meta({ id: 'AnalyticsSummary' });

export const TimeSeriesPoint = z
  .object({
    at: Timestamp.describe('Bucket start (UTC)'),
    impressions: z.number().int(),
    metrics: z.array(
      z.object({
        event: z.string(),
        conversions: z.number().int(),
        conversionRate: z.number().describe('Conversions / impressions in this bucket (0 without impressions), to 6 decimals'),
        cumulativeConversionRate: z.number().describe('From the start of the range to the end of this bucket, to 6 decimals'),
      }),
    ),
  })
  .meta({ id: 'TimeSeriesPoint' });

export const AudienceEditAnnotation = z
  .object({
    at: Timestamp,
    audienceUid: z.string(),
    audienceName: z.string(),
    revision: z.number().int(),
    action: z.enum(['created', 'updated', 'restored']),
    actor: z.string(),
    summary: z.string(),
  })
  .meta({ id: 'AudienceEditAnnotation' });

export const AnalyticsTimeSeries = z
  .object({
    experienceUid: z.string(),
    period: AnalyticsPeriod,
    interval: z.enum(['day', 'hour']),
    from: Timestamp,
    to: Timestamp,
    metrics: z.array(AnalyticsMetric),
    variants: z.array(z.object({ shortUid: z.string(), name: z.string(), points: z.array(TimeSeriesPoint) })),
    annotations: z.array(AudienceEditAnnotation).describe('Every revision of an audience this version uses, within the range'),
  })
  .meta({ id: 'AnalyticsTimeSeries' });

export type AnalyticsSummary = z.infer<typeof AnalyticsSummary>;
export type AnalyticsTimeSeries = z.infer<typeof AnalyticsTimeSeries>;
export type AudienceEditAnnotation = z.infer<typeof AudienceEditAnnotation>;
