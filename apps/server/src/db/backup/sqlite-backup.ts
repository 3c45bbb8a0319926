import fs from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { BACKUP_FILE_MODE, commitPartial, partialPathFor, removeQuietly } from './atomic-file.js';
import type { BackupContents } from './backup-contents.js';
import { BackupError, refusing } from './backup-error.js';
import { recordedState } from './migration-check.js';
import { asFileRefusal, inspectSqliteFile, settleJournal } from './sqlite-file.js';

/**
 * better-sqlite3 copies 100 pages per step by default, and SQLite restarts a backup whenever
 * another process writes between two steps: under steady writes it might never finish. One step
 * copies every page inside a single read transaction, which in WAL mode sees one commit's state
 * and does not block the server's writers (they append to the WAL meanwhile).
 */
const ALL_PAGES = 0x7fffffff;

async function checkOut(databaseFile: string, out: string, target: string): Promise<void> {
  if (!(await fs.stat(databaseFile).catch(() => undefined))?.isFile()) {
    throw new BackupError(`No database at ${databaseFile}: nothing to back up (is DATA_DIR right?).`);
  }
  const live = path.resolve(databaseFile);
  if (target === live || target.startsWith(`${live}-`)) throw new BackupError(`--out ${out} is the live database itself; write the backup somewhere else.`);
  if (!(await fs.stat(path.dirname(target)).catch(() => undefined))?.isDirectory()) {
    throw new BackupError(`--out ${out}: the directory ${path.dirname(target)} does not exist.`);
  }
  if ((await fs.stat(target).catch(() => undefined))?.isDirectory()) throw new BackupError(`--out ${out} is a directory; name a file.`);
}

/**
 * `tailor backup` on SQLite: an online copy of `databaseFile` (the server may be serving and
 * writing), written to `<out>.partial-…` and renamed to `out` only once complete and checked, so
 * an interrupted backup never leaves a plausible-looking `out`. An existing `out` is replaced.
 */
export async function backupSqlite(databaseFile: string, out: string, knownMigrations: readonly string[]): Promise<BackupContents> {
  const target = path.resolve(out);
  return refusing('No backup was written.', async () => {
    await checkOut(databaseFile, out, target);
    const partial = partialPathFor(target);
    try {
      // Read-write although it only reads: a read-only connection cannot remove the -wal and -shm
      // files it creates beside a stopped server's database, and a cron job running as another
      // user would leave them behind for the server to trip over. SQLite removes them on close.
      const source = new SQLite(databaseFile, { fileMustExist: true, timeout: 5000 });
      try {
        await source.backup(partial, { progress: () => ALL_PAGES });
      } catch (error) {
        throw asFileRefusal(databaseFile, error);
      } finally {
        source.close();
      }
      settleJournal(partial, databaseFile);
      const contents = await inspectSqliteFile(partial, databaseFile);
      await fs.chmod(partial, BACKUP_FILE_MODE);
      await commitPartial(partial, target);
      return { bytes: contents.bytes, tables: contents.tables, migrations: recordedState(contents.recorded, knownMigrations) };
    } catch (error) {
      await removeQuietly(partial);
      throw error;
    }
  });
}
