import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../create-db.js';
import { count, type BackupContents } from './backup-contents.js';
import { BackupError, refusing } from './backup-error.js';
import { checkRecordedMigrations } from './migration-check.js';
import { pgConnection, redactDatabaseUrl, runPgTool, type Env } from './pg-tools.js';
import { checkPostgresHeader, inspectPostgresFile, withoutSchemaEntries } from './postgres-file.js';
import { countRowsIn, schemaExists, tablesIn, tailorSchema } from './postgres-schema.js';

export interface PostgresRestoreReport extends BackupContents {
  schema: string;
  /** Users and projects the target schema had before (undefined: it had no Tailor tables). */
  replaced: { users: number; projects: number } | undefined;
}

/**
 * `tailor restore` on PostgreSQL. Checks first — custom format, read back whole by pg_restore,
 * Tailor's tables, no migration newer than this build, the same schema this Tailor uses, and
 * (without `force`) no users or projects in it — then `pg_restore --clean --if-exists --no-owner
 * --no-privileges --single-transaction`, so a failure part-way leaves the database as it was. An
 * existing schema is kept (see withoutSchemaEntries); a missing one is created by the restore.
 */
export async function restorePostgres(options: {
  db: Db;
  url: string;
  file: string;
  force: boolean;
  env: Env;
  knownMigrations: readonly string[];
}): Promise<PostgresRestoreReport> {
  const { db, url, file, force, env } = options;
  const connection = pgConnection(url);
  const checked = await refusing('Nothing was changed.', async () => {
    await checkPostgresHeader(file);
    const contents = await inspectPostgresFile(file, file, env);
    const migrations = checkRecordedMigrations(file, contents.recorded, options.knownMigrations);
    const schema = await tailorSchema(db);
    if (contents.schema !== schema) {
      throw new BackupError(
        `${file} holds schema "${contents.schema}", but this Tailor uses schema "${schema}": pg_restore would put the tables beside Tailor's, not in place of them.`,
      );
    }
    const users = await countRowsIn(db, schema, 'users');
    const projects = await countRowsIn(db, schema, 'projects');
    const replaced = users === undefined && projects === undefined ? undefined : { users: users ?? 0, projects: projects ?? 0 };
    if (replaced && replaced.users + replaced.projects > 0 && !force) {
      throw new BackupError(
        `${redactDatabaseUrl(url)} already holds Tailor data in schema "${schema}" (${count(replaced.users, 'user')}, ${count(replaced.projects, 'project')}): pass --force to replace it with ${file}.`,
      );
    }
    // --clean drops what the backup holds; anything else in the schema would stay behind, beside
    // the restored tables (a newer Tailor's tables would then break the next start's migrations).
    const inBackup = new Set(contents.tables.map((t) => t.name));
    const strangers = (await tablesIn(db, schema)).filter((name) => !inBackup.has(name));
    if (strangers.length > 0) {
      throw new BackupError(
        `${redactDatabaseUrl(url)} has tables in schema "${schema}" that ${file} lacks (${strangers.join(', ')}: from a newer Tailor, or not Tailor's); ` +
          'restore into an empty database or schema, or drop them first.',
      );
    }
    const listing = (await schemaExists(db, schema)) ? withoutSchemaEntries(contents.listing, schema) : contents.listing;
    return { report: { bytes: contents.bytes, tables: contents.tables, migrations, schema, replaced }, listing };
  });
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'tailor-restore-'));
  try {
    const list = path.join(scratch, 'restore.list');
    await fs.writeFile(list, `${checked.listing.join('\n')}\n`);
    await runPgTool(
      'pg_restore',
      ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', `--use-list=${list}`, `--dbname=${connection.dbname}`, file],
      { env, password: connection.password },
    );
  } catch (error) {
    throw error instanceof BackupError ? new BackupError(`${error.message.replace(/[.]?$/, '.')} Nothing was changed: the restore runs in one transaction.`) : error;
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
  return checked.report;
}
