import fs from 'node:fs/promises';
import SQLite from 'better-sqlite3';
import { DEFAULT_MIGRATION_TABLE } from 'kysely';
import { BackupError } from './backup-error.js';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const PGDMP_MAGIC = Buffer.from('PGDMP', 'latin1');

/**
 * Refuses, from the first 100 bytes and the size alone, a file that is not a SQLite database or
 * is shorter than its header says (a copy cut off part-way). See https://sqlite.org/fileformat.html.
 */
export async function checkSqliteHeader(file: string): Promise<void> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new BackupError(`${file}: no such file.`);
  const header = Buffer.alloc(100);
  const handle = await fs.open(file, 'r');
  const { bytesRead } = await handle.read(header, 0, 100, 0).finally(() => handle.close());
  if (header.subarray(0, 5).equals(PGDMP_MAGIC)) {
    throw new BackupError(`${file} is a PostgreSQL backup (pg_dump), but this Tailor uses SQLite: set DATABASE_URL to restore it into PostgreSQL.`);
  }
  if (bytesRead === 0) throw new BackupError(`${file} is empty.`);
  const prefix = Math.min(bytesRead, SQLITE_MAGIC.length);
  if (!header.subarray(0, prefix).equals(SQLITE_MAGIC.subarray(0, prefix))) {
    throw new BackupError(`${file} is not a SQLite database (it does not start with "SQLite format 3").`);
  }
  if (bytesRead < 100) throw new BackupError(`${file} is truncated: ${bytesRead} bytes, shorter than a SQLite header.`);
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  // The page count in the header is valid only when its "version-valid-for" matches the change counter.
  const expected = header.readUInt32BE(92) === header.readUInt32BE(24) && pages > 0 ? pages * pageSize : undefined;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw new BackupError(`${file} is not a valid SQLite database (page size ${rawPageSize}).`);
  if (stat.size % pageSize !== 0 || (expected !== undefined && stat.size < expected)) {
    throw new BackupError(
      `${file} is truncated: ${stat.size} bytes where its header promises ${expected ?? 'a whole number of'} ${expected === undefined ? `${pageSize}-byte pages` : 'bytes'}.`,
    );
  }
}

function sqliteReason(error: unknown): string | undefined {
  if (!(error instanceof SQLite.SqliteError)) return undefined;
  return error.message;
}

/** Turns SQLite's complaints about a file into a one-line refusal; anything else is unexpected. */
export function asFileRefusal(file: string, error: unknown): unknown {
  const reason = sqliteReason(error);
  if (reason === undefined) return error;
  return new BackupError(`${file} cannot be read as a Tailor database (${reason}).`);
}

/**
 * Makes a database file self-contained and readable by a read-only connection without side files:
 * a backup copied from a WAL-mode database says "WAL" in its header, which would make every reader
 * create `-wal` and `-shm` files beside it.
 */
export function settleJournal(file: string, label: string): void {
  let sqlite: SQLite.Database | undefined;
  try {
    sqlite = new SQLite(file, { fileMustExist: true });
    sqlite.pragma('journal_mode = DELETE');
  } catch (error) {
    throw asFileRefusal(label, error);
  } finally {
    sqlite?.close();
  }
}

export interface SqliteFileContents {
  bytes: number;
  tables: Array<{ name: string; rows: number }>;
  /** The names in Tailor's migrations table. */
  recorded: string[];
}

/**
 * Checks a settled database file through a read-only connection — every page and index
 * (`integrity_check`), foreign keys, Tailor's migrations table — and counts every table's rows.
 */
export async function inspectSqliteFile(file: string, label: string): Promise<SqliteFileContents> {
  const { size } = await fs.stat(file);
  let sqlite: SQLite.Database | undefined;
  try {
    sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
    const problems = sqlite.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>;
    if (problems[0]?.integrity_check !== 'ok') {
      throw new BackupError(`${label} is damaged or truncated (integrity check: ${problems[0]?.integrity_check ?? 'no answer'}).`);
    }
    const tables = (sqlite.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).all() as Array<{ name: string }>).map((t) => t.name);
    if (!tables.includes(DEFAULT_MIGRATION_TABLE)) {
      throw new BackupError(`${label} is a SQLite database but not a Tailor one (it has no ${DEFAULT_MIGRATION_TABLE} table).`);
    }
    const recorded = (sqlite.prepare(`select name from ${DEFAULT_MIGRATION_TABLE}`).all() as Array<{ name: string }>).map((r) => r.name);
    const orphans = sqlite.pragma('foreign_key_check') as unknown[];
    if (orphans.length > 0) throw new BackupError(`${label} is inconsistent: ${orphans.length} rows point at rows that do not exist.`);
    const counted = tables.map((name) => ({ name, rows: (sqlite?.prepare(`select count(*) as n from "${name.replaceAll('"', '""')}"`).get() as { n: number }).n }));
    return { bytes: size, tables: counted, recorded };
  } catch (error) {
    throw asFileRefusal(label, error);
  } finally {
    sqlite?.close();
  }
}
