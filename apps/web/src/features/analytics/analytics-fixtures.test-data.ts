import type { AnalyticsSummary, AnalyticsTimeSeries } from '@tailor/contract';

// Test fixtures only: shapes of the analytics API for unit tests; never imported by the app.
const period: AnalyticsSummary['period'] = {
  versionUid: 'f'.repeat(24),
  versionNumber: 2,
  status: 'ACTIVE',
  activatedAt: '2026-03-01T00:00:00.000Z',
  endedAt: null,
  dataCollectedAt: '2026-03-20T12:00:00.000Z',
};

export const abSummaryFixture: AnalyticsSummary = {
  experienceUid: 'e'.repeat(24),
  type: 'AB_TEST',
  period,
  metrics: [
    { event: 'ev1', key: 'signup', primary: true },
    { event: 'ev2', key: 'purchase', primary: false },
  ],
  insightsAvailable: true,
  winner: { shortUid: '1', name: 'Bold hero', probabilityToBeBest: 0.9996 },
  winnerReason: null,
  srm: { pValue: 0.00002, flagged: true, expected: [1000, 1000], observed: [1100, 900] },
  variants: [
    {
      shortUid: '0',
      name: 'Control hero',
      impressions: 1000,
      metrics: [
        { event: 'ev1', conversions: 100, conversionRate: 0.1, lift: null, probabilityToBeBest: 0.0004 },
        { event: 'ev2', conversions: 10, conversionRate: 0.01, lift: null, probabilityToBeBest: 0.5 },
      ],
    },
    {
      shortUid: '1',
      name: 'Bold hero',
      impressions: 1000,
      metrics: [
        { event: 'ev1', conversions: 150, conversionRate: 0.15, lift: { expected: 0.5, lower: 0.18, upper: 0.9 }, probabilityToBeBest: 0.9996 },
        { event: 'ev2', conversions: 11, conversionRate: 0.011, lift: { expected: 0.1, lower: -0.5, upper: 1.2 }, probabilityToBeBest: 0.5 },
      ],
    },
  ],
};

export const waitingSummaryFixture: AnalyticsSummary = {
  ...abSummaryFixture,
  insightsAvailable: false,
  winner: null,
  winnerReason: 'not enough data yet',
  srm: { pValue: 0.6, flagged: false, expected: [10, 10], observed: [11, 9] },
  variants: abSummaryFixture.variants.map((v) => ({ ...v, impressions: 10, metrics: v.metrics.map((m) => ({ ...m, lift: null, probabilityToBeBest: null })) })),
};

export const timeSeriesFixture: AnalyticsTimeSeries = {
  experienceUid: 'e'.repeat(24),
  period,
  interval: 'day',
  from: '2026-03-01T00:00:00.000Z',
  to: '2026-03-03T00:00:00.000Z',
  metrics: abSummaryFixture.metrics,
  variants: [
    {
      shortUid: '0',
      name: 'Control hero',
      points: [
        { at: '2026-03-02T00:00:00.000Z', impressions: 40, metrics: [{ event: 'ev1', conversions: 4, conversionRate: 0.1, cumulativeConversionRate: 0.1 }] },
        { at: '2026-03-01T00:00:00.000Z', impressions: 60, metrics: [{ event: 'ev1', conversions: 6, conversionRate: 0.1, cumulativeConversionRate: 0.1 }] },
      ],
    },
    {
      shortUid: '1',
      name: 'Bold hero',
      points: [
        { at: '2026-03-01T00:00:00.000Z', impressions: 50, metrics: [{ event: 'ev1', conversions: 10, conversionRate: 0.2, cumulativeConversionRate: 0.2 }] },
        { at: '2026-03-02T00:00:00.000Z', impressions: 50, metrics: [{ event: 'ev1', conversions: 5, conversionRate: 0.1, cumulativeConversionRate: 0.15 }] },
      ],
    },
  ],
  annotations: [
    { at: '2026-03-02T10:00:00.000Z', audienceUid: 'a2', audienceName: 'Mobile', revision: 3, action: 'updated', actor: 'Ann Lee', summary: 'Device type is "MOBILE" → "TABLET"' },
    { at: '2026-03-01T09:00:00.000Z', audienceUid: 'a1', audienceName: 'US visitors', revision: 2, action: 'updated', actor: 'Bo Chen', summary: 'Country is "US" → "CA"' },
  ],
};
