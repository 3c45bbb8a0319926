/**
 * A refused or failed backup or restore the operator can act on (a truncated file, a non-empty
 * target, a missing pg_dump): the CLI prints its message as one line and exits 1, no stack trace.
 */
export class BackupError extends Error {}

/** Runs a checking phase; a refusal in it gets `suffix` (e.g. "Nothing was changed.") appended. */
export async function refusing<T>(suffix: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof BackupError) throw new BackupError(`${error.message}${/[.!?]$/.test(error.message) ? '' : '.'} ${suffix}`);
    throw error;
  }
}
