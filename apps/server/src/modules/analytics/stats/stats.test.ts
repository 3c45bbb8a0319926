import { describe, expect, it } from 'vitest';
import { compareArms, posteriorParameters } from './bayes.js';
import { chiSquarePValue, logGamma, regularizedUpperGamma } from './chi-square.js';
import { betaSampler, sfc32 } from './random.js';
import { sampleRatioMismatch } from './srm.js';
import { decideWinner, insightsAvailable } from './verdict.js';

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Evan Miller's closed form of P(p_B > p_A) for Beta posteriors with integer α_B: the exact reference. */
function exactProbabilityBBeatsA(a: { alpha: number; beta: number }, b: { alpha: number; beta: number }): number {
  let total = 0;
  for (let i = 0; i < b.alpha; i++) {
    total += Math.exp(logBeta(a.alpha + i, a.beta + b.beta) - Math.log(b.beta + i) - logBeta(1 + i, b.beta) - logBeta(a.alpha, a.beta));
  }
  return total;
}

describe('seeded sampling', () => {
  it('gives the same sequence for the same seed and a different one for another', () => {
    const a = sfc32(42);
    const b = sfc32(42);
    const c = sfc32(43);
    const first = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(first);
    expect(c.next()).not.toBe(first[0]);
  });

  it('draws Beta variates with the right mean and variance', () => {
    const beta = betaSampler(sfc32(7));
    const n = 50_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = beta(3, 7);
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    expect(mean).toBeCloseTo(0.3, 2);
    expect(sumSq / n - mean * mean).toBeCloseTo((3 * 7) / (100 * 11), 3);
  });

  it('handles Gamma shapes below 1 through the boost', () => {
    const beta = betaSampler(sfc32(9));
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += beta(0.5, 0.5);
    expect(sum / 20_000).toBeCloseTo(0.5, 1);
  });
});

describe('probability to be best', () => {
  it('is about 50% for two identical variants', () => {
    const [a, b] = compareArms([
      { impressions: 1000, conversions: 100 },
      { impressions: 1000, conversions: 100 },
    ]);
    expect(a!.probabilityToBeBest).toBeGreaterThan(0.48);
    expect(a!.probabilityToBeBest).toBeLessThan(0.52);
    expect(a!.probabilityToBeBest + b!.probabilityToBeBest).toBeCloseTo(1, 10);
  });

  it('is 99.96% (±0.1%) for 150/1000 against 100/1000, agreeing with the exact integral', () => {
    const [, b] = compareArms([
      { impressions: 1000, conversions: 100 },
      { impressions: 1000, conversions: 150 },
    ]);
    const exact = exactProbabilityBBeatsA(posteriorParameters({ impressions: 1000, conversions: 100 }), posteriorParameters({ impressions: 1000, conversions: 150 }));
    expect(exact).toBeCloseTo(0.9996, 3);
    expect(Math.abs(b!.probabilityToBeBest - 0.9996)).toBeLessThan(0.001);
    expect(Math.abs(b!.probabilityToBeBest - exact)).toBeLessThan(0.005);
  });

  it('agrees with the exact computation to ±0.5% on a close race', () => {
    const control = { impressions: 4000, conversions: 200 };
    const variant = { impressions: 4000, conversions: 220 };
    const exact = exactProbabilityBBeatsA(posteriorParameters(control), posteriorParameters(variant));
    const [, b] = compareArms([control, variant]);
    expect(Math.abs(b!.probabilityToBeBest - exact)).toBeLessThan(0.005);
  });

  it('is reproducible: the same counts give exactly the same figures', () => {
    const arms = [
      { impressions: 800, conversions: 41 },
      { impressions: 790, conversions: 52 },
      { impressions: 805, conversions: 47 },
    ];
    expect(compareArms(arms)).toEqual(compareArms(arms));
  });

  it('sums to 1 across three arms', () => {
    const results = compareArms([
      { impressions: 500, conversions: 20 },
      { impressions: 500, conversions: 25 },
      { impressions: 500, conversions: 30 },
    ]);
    expect(results.reduce((s, r) => s + r.probabilityToBeBest, 0)).toBeCloseTo(1, 10);
  });
});

describe('lift against the control', () => {
  it('reports the observed relative lift inside its 95% credible interval', () => {
    const [control, variant] = compareArms([
      { impressions: 1000, conversions: 100 },
      { impressions: 1000, conversions: 150 },
    ]);
    expect(control!.lift).toBeNull();
    expect(variant!.conversionRate).toBe(0.15);
    expect(variant!.lift!.expected).toBeCloseTo(0.5, 10);
    // Normal approximation of the ratio: 0.5 ± ~0.4; the interval must exclude 0 and contain 0.5.
    expect(variant!.lift!.lower).toBeGreaterThan(0.15);
    expect(variant!.lift!.lower).toBeLessThan(0.5);
    expect(variant!.lift!.upper).toBeGreaterThan(0.5);
    expect(variant!.lift!.upper).toBeLessThan(1.0);
  });

  it('has no point estimate when the control has no conversions, yet still an interval', () => {
    const [, variant] = compareArms([
      { impressions: 100, conversions: 0 },
      { impressions: 100, conversions: 5 },
    ]);
    expect(variant!.lift!.expected).toBeNull();
    expect(variant!.lift!.upper).toBeGreaterThan(variant!.lift!.lower);
  });
});

describe('chi-square p-values against table values', () => {
  it.each([
    [3.841, 1, 0.05],
    [6.635, 1, 0.01],
    [10.828, 1, 0.001],
    [5.991, 2, 0.05],
    [9.21, 2, 0.01],
    [7.815, 3, 0.05],
    [18.467, 4, 0.001],
  ])('χ²=%s with df=%s gives p≈%s', (statistic, df, p) => {
    expect(chiSquarePValue(statistic, df)).toBeCloseTo(p, 4);
  });

  it('handles both branches of the incomplete gamma and the edges', () => {
    expect(regularizedUpperGamma(1, 2)).toBeCloseTo(Math.exp(-2), 12);
    expect(regularizedUpperGamma(1, 0.3)).toBeCloseTo(Math.exp(-0.3), 12);
    expect(chiSquarePValue(0, 1)).toBe(1);
    expect(chiSquarePValue(1000, 1)).toBeLessThan(1e-100);
  });
});

describe('sample-ratio mismatch', () => {
  it('flags 5,300 against 4,700 on a 50/50 split', () => {
    const srm = sampleRatioMismatch([5300, 4700], [50, 50])!;
    expect(srm.expected).toEqual([5000, 5000]);
    expect(srm.pValue).toBeLessThan(1e-8);
    expect(srm.flagged).toBe(true);
  });

  it('does not flag 5,050 against 4,950 on a 50/50 split', () => {
    const srm = sampleRatioMismatch([5050, 4950], [50, 50])!;
    expect(srm.pValue).toBeCloseTo(0.3173, 3);
    expect(srm.flagged).toBe(false);
  });

  it('tests against an uneven configured split', () => {
    expect(sampleRatioMismatch([2000, 8000], [20, 80])!.flagged).toBe(false);
    expect(sampleRatioMismatch([5000, 5000], [20, 80])!.flagged).toBe(true);
  });

  it('flags visitors in an arm configured at 0%, and has nothing to say without visitors', () => {
    expect(sampleRatioMismatch([10, 5, 5], [0, 50, 50])!.flagged).toBe(true);
    expect(sampleRatioMismatch([0, 0], [50, 50])).toBeNull();
    expect(sampleRatioMismatch([10], [100])).toBeNull();
  });
});

describe('insights and the winner', () => {
  const now = new Date('2026-12-20T00:00:00.000Z');
  const arms = [
    { shortUid: '0', probabilityToBeBest: 0.02 },
    { shortUid: '1', probabilityToBeBest: 0.98 },
  ];

  it('needs 1,000 impressions or 30 conversions', () => {
    expect(insightsAvailable(999, 29)).toBe(false);
    expect(insightsAvailable(1000, 0)).toBe(true);
    expect(insightsAvailable(10, 30)).toBe(true);
  });

  it('declares the leader only after 14 full days at ≥ 95%', () => {
    const base = { hasPrimaryMetric: true, insightsAvailable: true, now, arms };
    expect(decideWinner({ ...base, activatedAt: new Date(now.getTime() - 14 * 86_400_000) })).toEqual({ winner: '1', reason: null });
    expect(decideWinner({ ...base, activatedAt: new Date(now.getTime() - 14 * 86_400_000 + 1) })).toEqual({ winner: null, reason: 'needs 14 days' });
    expect(decideWinner({ ...base, insightsAvailable: false, activatedAt: new Date(0) })).toEqual({ winner: null, reason: 'not enough data yet' });
    expect(
      decideWinner({ ...base, activatedAt: new Date(0), arms: [{ shortUid: '0', probabilityToBeBest: 0.06 }, { shortUid: '1', probabilityToBeBest: 0.94 }] }).reason,
    ).toBe('no variant is 95% likely to be best');
    expect(decideWinner({ ...base, hasPrimaryMetric: false, activatedAt: new Date(0) }).reason).toBe('no primary metric');
  });
});
