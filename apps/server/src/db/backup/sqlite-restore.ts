import fs from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { commitPartial, copyOwnership, partialPathFor, removeQuietly } from './atomic-file.js';
import { count, type BackupContents } from './backup-contents.js';
import { BackupError, refusing } from './backup-error.js';
import { checkRecordedMigrations } from './migration-check.js';
import { checkSqliteHeader, inspectSqliteFile, settleJournal } from './sqlite-file.js';

/** What the restore replaced: no file, a database without users or projects, one with data, or a file SQLite cannot read. */
export type ReplacedTarget = { kind: 'nothing' } | { kind: 'empty' } | { kind: 'data'; users: number; projects: number } | { kind: 'foreign' };

export interface SqliteRestoreReport extends BackupContents {
  replaced: ReplacedTarget;
}

interface HeldTarget {
  replaced: ReplacedTarget;
  /** Holds SQLite's exclusive lock on the target until it is replaced, so no server can open it meanwhile. */
  sqlite?: SQLite.Database;
}

const isSqliteCode = (error: unknown, ...codes: string[]) => error instanceof SQLite.SqliteError && codes.includes(error.code);

const countRows = (sqlite: SQLite.Database, tables: readonly string[], table: string): number =>
  tables.includes(table) ? (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n : 0;

/**
 * Takes SQLite's exclusive lock on the target. A running server keeps its connection open, and in
 * WAL mode an open connection holds a shared lock for its whole life, so the lock is refused
 * (SQLITE_BUSY) while any server or CLI has the database open — in this process or another.
 */
async function holdTarget(targetFile: string): Promise<HeldTarget> {
  if (!(await fs.stat(targetFile).catch(() => undefined))) return { replaced: { kind: 'nothing' } };
  const sqlite = new SQLite(targetFile, { fileMustExist: true, timeout: 2000 });
  try {
    sqlite.pragma('locking_mode = EXCLUSIVE');
    sqlite.exec('begin exclusive');
    const tables = (sqlite.prepare(`select name from sqlite_master where type = 'table'`).all() as Array<{ name: string }>).map((t) => t.name);
    const users = countRows(sqlite, tables, 'users');
    const projects = countRows(sqlite, tables, 'projects');
    return { replaced: users + projects > 0 ? { kind: 'data', users, projects } : { kind: 'empty' }, sqlite };
  } catch (error) {
    sqlite.close();
    if (isSqliteCode(error, 'SQLITE_BUSY', 'SQLITE_LOCKED')) {
      throw new BackupError(`${targetFile} is in use: is the Tailor server (or another tailor command) running? Stop it, then restore.`);
    }
    if (isSqliteCode(error, 'SQLITE_NOTADB', 'SQLITE_CORRUPT')) return { replaced: { kind: 'foreign' } };
    throw error;
  }
}

function refuseUnlessForced(targetFile: string, file: string, held: HeldTarget, force: boolean): void {
  if (force) return;
  const { replaced } = held;
  if (replaced.kind === 'data') {
    throw new BackupError(
      `${targetFile} already holds Tailor data (${count(replaced.users, 'user')}, ${count(replaced.projects, 'project')}): pass --force to replace it with ${file}.`,
    );
  }
  if (replaced.kind === 'foreign') throw new BackupError(`${targetFile} exists but is not a database SQLite can read: pass --force to replace it with ${file}.`);
}

/**
 * Checkpoints the target's WAL into it and drops the WAL, so that no `-wal` of the old database is
 * ever beside the new one (SQLite would apply it to the wrong file), then releases the lock.
 */
function settleTarget(held: HeldTarget): void {
  const { sqlite } = held;
  if (!sqlite) return;
  try {
    sqlite.exec('rollback');
    sqlite.pragma('journal_mode = DELETE');
  } finally {
    sqlite.close();
  }
}

/**
 * `tailor restore` on SQLite. Every check runs before the target changes: the backup's header
 * and size, the target not in use and (without `force`) without users or projects, then a copy
 * of the backup beside the target (`tailor.db.partial-…`) is checked whole — integrity, foreign
 * keys, Tailor's migrations, none newer than this build. Only then is it renamed over the target.
 * Pending migrations are left to the next start, like any upgrade (ADR 0089).
 */
export async function restoreSqlite(options: { file: string; targetFile: string; force: boolean; knownMigrations: readonly string[] }): Promise<SqliteRestoreReport> {
  const { file, targetFile, force, knownMigrations } = options;
  const dataDir = path.dirname(targetFile);
  const partial = partialPathFor(targetFile);
  let held: HeldTarget = { replaced: { kind: 'nothing' } };
  let createdDir: string | undefined;
  const contents = await refusing('Nothing was changed.', async () => {
    if (path.resolve(file) === path.resolve(targetFile)) throw new BackupError(`${file} is the database Tailor uses; restore a backup of it instead.`);
    await checkSqliteHeader(file);
    const wal = await fs.stat(`${file}-wal`).catch(() => undefined);
    if (wal && wal.size > 0) {
      throw new BackupError(`${file} has a write-ahead log beside it (${file}-wal), so it is a live database or a copy of one, not a backup: make one with \`tailor backup\`.`);
    }
    held = await holdTarget(targetFile);
    try {
      refuseUnlessForced(targetFile, file, held, force);
      createdDir = await fs.mkdir(dataDir, { recursive: true });
      await fs.copyFile(file, partial, fs.constants.COPYFILE_EXCL);
      settleJournal(partial, file);
      const inspected = await inspectSqliteFile(partial, file);
      return { bytes: inspected.bytes, tables: inspected.tables, migrations: checkRecordedMigrations(file, inspected.recorded, knownMigrations) };
    } catch (error) {
      held.sqlite?.close();
      await removeQuietly(partial);
      if (createdDir) await fs.rmdir(createdDir).catch(() => undefined);
      throw error;
    }
  });
  try {
    settleTarget(held);
    // The server must be able to write the restored file, whoever runs the restore.
    await copyOwnership(held.replaced.kind === 'nothing' ? dataDir : targetFile, partial);
    for (const suffix of ['-wal', '-shm', '-journal']) await removeQuietly(`${targetFile}${suffix}`);
    await commitPartial(partial, targetFile);
  } catch (error) {
    await removeQuietly(partial);
    throw error;
  }
  return { ...contents, replaced: held.replaced };
}
