import type { Command } from 'commander';
import type { Config } from '../config.js';
import type { Db } from '../db/create-db.js';
import { formatBytes } from '../db/backup/atomic-file.js';
import { count, describeContents, describePending } from '../db/backup/backup-contents.js';
import { BackupError } from '../db/backup/backup-error.js';
import { redactDatabaseUrl, type Env } from '../db/backup/pg-tools.js';
import { backupPostgres } from '../db/backup/postgres-backup.js';
import { restorePostgres } from '../db/backup/postgres-restore.js';
import { backupSqlite } from '../db/backup/sqlite-backup.js';
import { restoreSqlite, type ReplacedTarget } from '../db/backup/sqlite-restore.js';
import { allMigrations } from '../db/migrations/index.js';

/** `tailor backup` and `tailor restore` (ADR 0089, docs/operations/backups.md). */
export interface BackupCommandDeps {
  out(text: string): void;
  config(): Config;
  /** The environment pg_dump and pg_restore run with (PATH, PG* variables). */
  env: Env;
  withDb<T>(run: (db: Db, config: Config) => Promise<T>): Promise<T>;
  /** A user mistake or a refusal: printed as one line, exit code 1. */
  fail(message: string): Error;
}

// The same names on both dialects; the build's list is what a backup may not go beyond.
const knownMigrations = () => Object.keys(allMigrations('sqlite'));

async function refusalsAsFailures(deps: BackupCommandDeps, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    throw error instanceof BackupError ? deps.fail(error.message) : error;
  }
}

function describeReplaced(replaced: ReplacedTarget): string {
  if (replaced.kind === 'nothing') return 'a new database';
  if (replaced.kind === 'empty') return 'an empty database';
  if (replaced.kind === 'foreign') return 'an unreadable file';
  return `a database with ${count(replaced.users, 'user')} and ${count(replaced.projects, 'project')}`;
}

export function registerBackupCommands(program: Command, deps: BackupCommandDeps): void {
  program
    .command('backup')
    .description('write a consistent copy of the whole database to a file; safe while the server is serving and writing')
    .requiredOption('--out <file>', 'where to write it (replaced if it exists; a SQLite file, or pg_dump custom format on PostgreSQL)')
    .addHelpText('after', '\nOn PostgreSQL it runs pg_dump, which must be on PATH. See docs/operations/backups.md.')
    .action(async (options: { out: string }) => {
      await refusalsAsFailures(deps, async () => {
        const config = deps.config();
        if (config.database.kind === 'sqlite') {
          const contents = await backupSqlite(config.database.file, options.out, knownMigrations());
          deps.out(`Backed up ${config.database.file} to ${options.out} (${formatBytes(contents.bytes)}): ${describeContents(contents)}.\n`);
          return;
        }
        const { url } = config.database;
        await deps.withDb(async (db) => {
          const contents = await backupPostgres({ db, url, out: options.out, env: deps.env, knownMigrations: knownMigrations() });
          deps.out(
            `Backed up schema "${contents.schema}" of ${redactDatabaseUrl(url)} to ${options.out} (${formatBytes(contents.bytes)}, pg_dump custom format): ${describeContents(contents)}.\n`,
          );
        });
      });
    });

  program
    .command('restore')
    .description('replace the database with a backup written by `tailor backup` (stop the server first)')
    .argument('<file>', 'a file written by `tailor backup`')
    .option('--force', 'replace a database that already has users or projects')
    .addHelpText(
      'after',
      '\nThe file is checked whole (truncation, integrity, Tailor migrations no newer than this build) before anything\n' +
        'changes; migrations newer than the backup run when the server next starts. See docs/operations/backups.md.',
    )
    .action(async (file: string, options: { force?: boolean }) => {
      await refusalsAsFailures(deps, async () => {
        const config = deps.config();
        const force = options.force === true;
        if (config.database.kind === 'sqlite') {
          const report = await restoreSqlite({ file, targetFile: config.database.file, force, knownMigrations: knownMigrations() });
          deps.out(
            `Restored ${file} into ${config.database.file}, replacing ${describeReplaced(report.replaced)}: ${describeContents(report)}.${describePending(report.migrations.pending)}\n`,
          );
          return;
        }
        const { url } = config.database;
        await deps.withDb(async (db) => {
          const report = await restorePostgres({ db, url, file, force, env: deps.env, knownMigrations: knownMigrations() });
          const before = report.replaced ? `${count(report.replaced.users, 'user')} and ${count(report.replaced.projects, 'project')}` : 'no Tailor tables';
          deps.out(
            `Restored ${file} into schema "${report.schema}" of ${redactDatabaseUrl(url)}, which had ${before}: ${describeContents(report)}.${describePending(report.migrations.pending)}\n`,
          );
        });
      });
    });
}
