import { chiSquarePValue } from './chi-square.js';

/** GrowthBook's default (peers.md): a broken split is flagged below p = 0.001. */
export const SRM_THRESHOLD = 0.001;

export interface SrmResult {
  /** Chi-square goodness-of-fit p-value of the observed impressions against the configured split. */
  pValue: number;
  flagged: boolean;
  /** Expected impressions per arm under the configured split, in arm order. */
  expected: number[];
  observed: number[];
}

/**
 * Sample-ratio mismatch: did the arms receive the share of visitors the configuration says they
 * should? `weights` are the configured traffic distributions (any scale). Returns null when there
 * is nothing to test (no visitors, fewer than two arms, or no positive weight).
 */
export function sampleRatioMismatch(observed: readonly number[], weights: readonly number[]): SrmResult | null {
  if (observed.length !== weights.length || observed.length < 2) return null;
  const total = observed.reduce((s, n) => s + n, 0);
  const weightSum = weights.reduce((s, w) => s + Math.max(0, w), 0);
  if (total === 0 || weightSum <= 0) return null;
  const expected = weights.map((w) => (total * Math.max(0, w)) / weightSum);
  let statistic = 0;
  let degreesOfFreedom = -1;
  let impossible = false;
  expected.forEach((e, i) => {
    const o = observed[i] ?? 0;
    if (e === 0) {
      // An arm configured at 0% that still gets visitors is a mismatch no statistic can excuse.
      if (o > 0) impossible = true;
      return;
    }
    statistic += ((o - e) * (o - e)) / e;
    degreesOfFreedom += 1;
  });
  const pValue = impossible ? 0 : degreesOfFreedom < 1 ? 1 : chiSquarePValue(statistic, degreesOfFreedom);
  return { pValue, flagged: pValue < SRM_THRESHOLD, expected, observed: [...observed] };
}
