/** When the numbers may be read, and when a winner may be declared (spec §1.7). */

export const MIN_IMPRESSIONS_FOR_INSIGHTS = 1000;
export const MIN_CONVERSIONS_FOR_INSIGHTS = 30;
export const WINNER_PROBABILITY = 0.95;
export const WINNER_MIN_FULL_DAYS = 14;
const DAY_MS = 86_400_000;

export function insightsAvailable(totalImpressions: number, totalPrimaryConversions: number): boolean {
  return totalImpressions >= MIN_IMPRESSIONS_FOR_INSIGHTS || totalPrimaryConversions >= MIN_CONVERSIONS_FOR_INSIGHTS;
}

export function fullDaysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));
}

export type WinnerVerdict =
  | { winner: string; reason: null }
  | {
      winner: null;
      reason: 'no primary metric' | 'not enough data yet' | 'not activated' | 'needs 14 days' | 'no variant is 95% likely to be best';
    };

/**
 * The leader (highest probability to be best on the primary metric) wins once it reaches 95%
 * and 14 full days have passed since the version was activated. Reasons are checked in the
 * order a user would fix them.
 */
export function decideWinner(input: {
  hasPrimaryMetric: boolean;
  insightsAvailable: boolean;
  activatedAt: Date | null;
  now: Date;
  /** shortUid and probability to be best on the primary metric, per variant. */
  arms: ReadonlyArray<{ shortUid: string; probabilityToBeBest: number | null }>;
}): WinnerVerdict {
  if (!input.hasPrimaryMetric) return { winner: null, reason: 'no primary metric' };
  if (!input.insightsAvailable) return { winner: null, reason: 'not enough data yet' };
  if (!input.activatedAt) return { winner: null, reason: 'not activated' };
  if (fullDaysBetween(input.activatedAt, input.now) < WINNER_MIN_FULL_DAYS) return { winner: null, reason: 'needs 14 days' };
  let leader: { shortUid: string; probability: number } | null = null;
  for (const arm of input.arms) {
    const p = arm.probabilityToBeBest ?? 0;
    if (!leader || p > leader.probability) leader = { shortUid: arm.shortUid, probability: p };
  }
  if (!leader || leader.probability < WINNER_PROBABILITY) return { winner: null, reason: 'no variant is 95% likely to be best' };
  return { winner: leader.shortUid, reason: null };
}
