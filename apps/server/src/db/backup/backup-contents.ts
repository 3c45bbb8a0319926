import type { MigrationState } from './migration-check.js';

/** What a backup file holds, as printed after `tailor backup` and `tailor restore`. */
export interface BackupContents {
  bytes: number;
  tables: Array<{ name: string; rows: number }>;
  migrations: MigrationState;
}

/** `1 user`, `2 users`, `1,234 rows`. */
export const count = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** `24 tables, 5,321 rows (3 users, 2 projects), latest migration 20261203010000_create_known_devices` */
export function describeContents(contents: BackupContents): string {
  const rowsOf = (name: string) => contents.tables.find((t) => t.name === name)?.rows ?? 0;
  const rows = contents.tables.reduce((sum, t) => sum + t.rows, 0);
  return (
    `${count(contents.tables.length, 'table')}, ${count(rows, 'row')} (${count(rowsOf('users'), 'user')}, ${count(rowsOf('projects'), 'project')}), ` +
    `latest migration ${contents.migrations.latest ?? '(none)'}`
  );
}

export function describePending(pending: readonly string[]): string {
  if (pending.length === 0) return '';
  return (
    ` ${count(pending.length, 'migration')} newer than the backup ${pending.length === 1 ? 'is' : 'are'} pending: ` +
    'Tailor applies them when it next starts (or run `tailor migrate`).'
  );
}
