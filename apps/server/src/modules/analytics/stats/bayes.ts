import { betaSampler, sfc32 } from './random.js';

/** Contentstack's figure (spec §1.7): 15,000 draws per variant. */
export const POSTERIOR_DRAWS = 15_000;
/** Fixed, so the same counts always give the same answer (issue 7: "reproducible"). */
export const DEFAULT_SEED = 0x7a11_0c5e;

export interface ArmCounts {
  impressions: number;
  conversions: number;
}

export interface Lift {
  /** Relative difference of the observed conversion rates, (rate − control) / control; null when control is 0. */
  expected: number | null;
  /** 95% credible interval of the relative difference, from the posterior draws. */
  lower: number;
  upper: number;
}

export interface ArmResult {
  conversionRate: number;
  probabilityToBeBest: number;
  /** Against the first arm (the control); null for the control itself. */
  lift: Lift | null;
}

/** Posterior Beta(1 + c, 1 + n − c) under a uniform prior (spec §1.7). */
export function posteriorParameters(arm: ArmCounts): { alpha: number; beta: number } {
  const conversions = Math.max(0, arm.conversions);
  // Retention can drop an impression bucket before its conversions; never let β fall below 1.
  const failures = Math.max(0, arm.impressions - conversions);
  return { alpha: 1 + conversions, beta: 1 + failures };
}

export function conversionRate(arm: ArmCounts): number {
  return arm.impressions > 0 ? arm.conversions / arm.impressions : 0;
}

function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] ?? NaN;
  const b = sorted[high] ?? NaN;
  return a + (b - a) * (position - low);
}

/**
 * Probability to be best and lift against the control, from `draws` joint posterior draws.
 * One seeded generator feeds every arm in a fixed order, so the result is a pure function of
 * the counts.
 */
export function compareArms(arms: readonly ArmCounts[], options: { draws?: number; seed?: number } = {}): ArmResult[] {
  const draws = options.draws ?? POSTERIOR_DRAWS;
  if (arms.length === 0) return [];
  const beta = betaSampler(sfc32(options.seed ?? DEFAULT_SEED));
  const samples = arms.map((arm) => {
    const { alpha, beta: b } = posteriorParameters(arm);
    const out = new Float64Array(draws);
    for (let i = 0; i < draws; i++) out[i] = beta(alpha, b);
    return out;
  });
  const wins = new Array<number>(arms.length).fill(0);
  for (let i = 0; i < draws; i++) {
    let best = 0;
    let bestValue = -1;
    for (let k = 0; k < samples.length; k++) {
      const value = samples[k]![i]!;
      if (value > bestValue) {
        bestValue = value;
        best = k;
      }
    }
    wins[best] = (wins[best] ?? 0) + 1;
  }
  const control = samples[0]!;
  const controlRate = conversionRate(arms[0]!);
  return arms.map((arm, k) => {
    const rate = conversionRate(arm);
    let lift: Lift | null = null;
    if (k > 0) {
      const own = samples[k]!;
      const relative = new Float64Array(draws);
      for (let i = 0; i < draws; i++) relative[i] = (own[i]! - control[i]!) / control[i]!;
      relative.sort();
      lift = {
        expected: controlRate > 0 ? (rate - controlRate) / controlRate : null,
        lower: quantile(relative, 0.025),
        upper: quantile(relative, 0.975),
      };
    }
    return { conversionRate: rate, probabilityToBeBest: (wins[k] ?? 0) / draws, lift };
  });
}
