import { BUCKET_COUNT } from './hashing.js';

/**
 * The variant owning `bucket` (0..9999) when variants take consecutive slices in order, each
 * `trafficDistribution` percent wide (decimals allowed, rounded to 0.01 %). Returns null when the
 * bucket falls past the total (distributions summing below 100) or there are no variants.
 */
export function pickVariantByTraffic(
  bucket: number,
  variants: ReadonlyArray<{ shortUid: string; trafficDistribution: number }>,
): string | null {
  let cumulative = 0;
  for (const v of variants) {
    const share = Number.isFinite(v.trafficDistribution) && v.trafficDistribution > 0 ? v.trafficDistribution : 0;
    cumulative += share;
    // Comparing against the rounded cumulative bound keeps slices contiguous with no gaps.
    if (bucket < Math.min(BUCKET_COUNT, Math.round(cumulative * 100))) return v.shortUid;
  }
  return null;
}

/** Seed of the "is this visitor in the test" draw; independent of the variant draw so ramping never reshuffles variants. */
export function trafficSeed(experienceUid: string, salt: string): string {
  return `${experienceUid}:${salt}:traffic`;
}

/** Seed of the "which variant" draw. */
export function variantSeed(experienceUid: string, salt: string): string {
  return `${experienceUid}:${salt}:variant`;
}
