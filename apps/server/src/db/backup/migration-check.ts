import { BackupError } from './backup-error.js';

export interface MigrationState {
  /** The last migration the backup has, or null when it has none. */
  latest: string | null;
  /** Migrations this build has and the backup lacks: applied when Tailor next starts. */
  pending: string[];
}

/**
 * Whether a backup's recorded migrations are a prefix of this build's (names sort in the order
 * they apply). A name this build does not know means a newer Tailor wrote the backup: its tables
 * may have columns this build would misread, and it could never be migrated down, so it is refused.
 */
export function checkRecordedMigrations(label: string, recorded: readonly string[], known: readonly string[]): MigrationState {
  const names = [...recorded].sort();
  if (names.length === 0) throw new BackupError(`${label}: its migrations table is empty, so it holds no Tailor data.`);
  const knownSet = new Set(known);
  const unknown = names.filter((name) => !knownSet.has(name));
  if (unknown.length === names.length) {
    throw new BackupError(`${label}: not a Tailor database (none of its ${names.length} migrations is one of Tailor's).`);
  }
  if (unknown.length > 0) {
    throw new BackupError(
      `${label} was made by a newer version of Tailor: it has ${unknown.length === 1 ? 'migration' : 'migrations'} ${unknown.join(', ')}, ` +
        `which this build does not know. Upgrade Tailor, then restore.`,
    );
  }
  const missing = known.slice(0, names.length).filter((name) => !names.includes(name));
  if (missing.length > 0) {
    throw new BackupError(`${label}: its migrations skip ${missing.join(', ')}, so it cannot be brought up to date.`);
  }
  return { latest: names.at(-1) ?? null, pending: known.slice(names.length) };
}

/** A live database's state as `tailor backup` reports it, whichever build wrote it. */
export function recordedState(recorded: readonly string[], known: readonly string[]): MigrationState {
  const names = new Set(recorded);
  return { latest: [...recorded].sort().at(-1) ?? null, pending: known.filter((name) => !names.has(name)) };
}
