/** A visitor's custom attributes by attribute key (what the engine's VisitorContext reads). */
export type VisitorAttributes = Record<string, string | number | boolean>;

/** A merge-patch of a profile: a value sets the key, null removes it (RFC 7396). */
export type VisitorAttributesPatch = Record<string, string | number | boolean | null>;

/** Applies a merge-patch; returns a new object. */
export function applyAttributesPatch(current: Readonly<VisitorAttributes>, patch: Readonly<VisitorAttributesPatch>): VisitorAttributes {
  const next: VisitorAttributes = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** Presets derived from one request, as kept in the recent-visitor record. */
export interface VisitorPresets {
  COUNTRY?: string;
  REGION?: string;
  CITY?: string;
  DEVICE_TYPE?: string;
  OPERATING_SYSTEM?: string;
  REFERRER?: string;
  PAGE_URL?: string;
}
