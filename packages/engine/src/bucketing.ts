import { BUCKET_COUNT } from './hashing.js';

/**
 * The index of the variant owning `bucket` (0..9999) when variants take consecutive slices in
 * order, each `trafficDistribution` percent wide (decimals allowed, rounded to 0.01 %). Returns -1
 * when the bucket falls past the total (distributions summing below 100) or there are no variants.
 */
export function pickVariantIndexByTraffic(bucket: number, variants: ReadonlyArray<{ trafficDistribution: number }>): number {
  let cumulative = 0;
  for (let k = 0; k < variants.length; k++) {
    const d = (variants[k] as { trafficDistribution: number }).trafficDistribution;
    const share = Number.isFinite(d) && d > 0 ? d : 0;
    cumulative += share;
    // Comparing against the rounded cumulative bound keeps slices contiguous with no gaps.
    if (bucket < Math.min(BUCKET_COUNT, Math.round(cumulative * 100))) return k;
  }
  return -1;
}

/** pickVariantIndexByTraffic, answering the variant's shortUid (null for none). */
export function pickVariantByTraffic(
  bucket: number,
  variants: ReadonlyArray<{ shortUid: string; trafficDistribution: number }>,
): string | null {
  const k = pickVariantIndexByTraffic(bucket, variants);
  return k < 0 ? null : (variants[k] as { shortUid: string }).shortUid;
}

/** Seed of the "is this visitor in the test" draw; independent of the variant draw so ramping never reshuffles variants. */
export function trafficSeed(experienceUid: string, salt: string): string {
  return `${experienceUid}:${salt}:traffic`;
}

/** Seed of the "which variant" draw. */
export function variantSeed(experienceUid: string, salt: string): string {
  return `${experienceUid}:${salt}:variant`;
}
