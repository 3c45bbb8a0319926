import { describe, expect, it } from 'vitest';
import { chartRows, defaultInterval, formatLift, formatPercent, headline, markerStacks, markers, versionOptionLabel } from './analytics-view';
import { abSummaryFixture, timeSeriesFixture, waitingSummaryFixture } from './analytics-fixtures.test-data';

describe('analytics view', () => {
  it('merges variants into one chart row per bucket, in time order', () => {
    const rows = chartRows(timeSeriesFixture, 'ev1');
    expect(rows).toEqual([
      { t: Date.parse('2026-03-01T00:00:00.000Z'), 'imp:0': 60, 'cr:0': 0.1, 'imp:1': 50, 'cr:1': 0.2 },
      { t: Date.parse('2026-03-02T00:00:00.000Z'), 'imp:0': 40, 'cr:0': 0.1, 'imp:1': 50, 'cr:1': 0.15 },
    ]);
  });

  it('leaves conversion rates out without a primary metric (segmented)', () => {
    expect(Object.keys(chartRows(timeSeriesFixture, undefined)[0] ?? {})).toEqual(['t', 'imp:0', 'imp:1']);
  });

  it('numbers audience-edit markers in time order', () => {
    expect(markers(timeSeriesFixture.annotations).map((m) => [m.number, m.audienceName])).toEqual([
      [1, 'US visitors'],
      [2, 'Mobile'],
    ]);
  });

  it('words the verdict: winner, or why there is none', () => {
    expect(headline(abSummaryFixture)).toMatchObject({ kind: 'winner', title: 'Bold hero is the winner', detail: '100.0% probability to be best on the primary metric.' });
    expect(headline(waitingSummaryFixture)).toMatchObject({ kind: 'waiting', title: 'No winner yet: not enough data yet' });
    expect(headline(waitingSummaryFixture).detail).toMatch(/1,000 impressions or 30 conversions/);
    expect(headline({ ...abSummaryFixture, type: 'SEGMENTED' }).kind).toBe('impressions-only');
  });

  it('formats lift with its credible interval and signs', () => {
    expect(formatLift({ expected: 0.5, lower: -0.041, upper: 0.302 })).toEqual({ expected: '+50.0%', interval: '95% CI −4.1% to +30.2%' });
    expect(formatLift(null)).toBeNull();
    expect(formatPercent(null)).toBe('-');
  });

  it('picks hourly buckets for ranges up to three days', () => {
    expect(defaultInterval(0, 3 * 24 * 3600 * 1000)).toBe('hour');
    expect(defaultInterval(0, 4 * 24 * 3600 * 1000)).toBe('day');
  });

  it('labels versions as the console does', () => {
    expect(versionOptionLabel({ status: 'ACTIVE', versionNumber: 1 })).toBe('Active (Version 1)');
  });
});

describe('markerStacks', () => {
  it('stacks markers that would overlap and leaves distant ones on the first row', () => {
    const list = markers(timeSeriesFixture.annotations);
    const hour = 3600 * 1000;
    expect(markerStacks(list, list[0]?.t ?? 0, (list[0]?.t ?? 0) + 1000 * hour)).toEqual([0, 1]);
    expect(markerStacks(list, list[0]?.t ?? 0, (list[0]?.t ?? 0) + 30 * hour)).toEqual([0, 0]);
  });
});
