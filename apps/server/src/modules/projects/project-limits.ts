/** Default per-project limits (spec §1.9); an org Owner may override them per project. */
export interface ProjectLimits {
  attributes: number;
  audiences: number;
  events: number;
  experiences: number;
  rulesPerAudience: number;
  variantsPerExperience: number;
  audiencesPerVariant: number;
}

export const DEFAULT_LIMITS: ProjectLimits = {
  attributes: 100,
  audiences: 100,
  events: 100,
  experiences: 100,
  rulesPerAudience: 50,
  variantsPerExperience: 20,
  audiencesPerVariant: 50,
};

/** Stored overrides are partial; anything missing or not a positive integer falls back to the default. */
export function resolveLimits(stored: unknown): ProjectLimits {
  const overrides = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof ProjectLimits>) {
    const value = overrides[key];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) out[key] = value;
  }
  return out;
}
