/**
 * The constraint a unique violation hit, on either dialect, or null for any other error.
 * Checks before inserts make duplicates a 409 in the common case; this catches the race where two
 * writers pass the check together and the unique index refuses the second.
 */
export function uniqueViolation(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code === '23505') return typeof e.constraint === 'string' ? e.constraint : '';
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // SQLite names columns, not constraints: "UNIQUE constraint failed: attributes.project_uid, attributes.key".
    return typeof e.message === 'string' ? e.message : '';
  }
  return null;
}
