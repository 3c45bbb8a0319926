/** The one place that knows how each dialect returns JSON, times and booleans. */

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJson<T>(value: unknown): T {
  // pg parses jsonb for us; SQLite hands back the text.
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function toIso(value: string | Date): string {
  return typeof value === 'string' ? new Date(value).toISOString() : value.toISOString();
}

export function fromBool(value: boolean | number): boolean {
  return value === true || value === 1;
}
