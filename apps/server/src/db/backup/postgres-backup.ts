import fs from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_MIGRATION_TABLE } from 'kysely';
import type { Db } from '../create-db.js';
import { BACKUP_FILE_MODE, commitPartial, partialPathFor, removeQuietly } from './atomic-file.js';
import type { BackupContents } from './backup-contents.js';
import { BackupError, refusing } from './backup-error.js';
import { recordedState } from './migration-check.js';
import { pgConnection, redactDatabaseUrl, runPgTool, type Env } from './pg-tools.js';
import { inspectPostgresFile } from './postgres-file.js';
import { countRowsIn, tailorSchema } from './postgres-schema.js';

/** pg_dump waits this long for a table lock (a running migration holds one) before giving up. */
const LOCK_WAIT_MS = 60_000;

/** A pg_dump `--schema` pattern that matches exactly this name (patterns treat `*`, `?`, `.` specially). */
const exactPattern = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * `tailor backup` on PostgreSQL: `pg_dump --format=custom` of Tailor's schema, which reads every
 * table in one repeatable-read transaction (a consistent snapshot while the server writes),
 * written beside `out` and renamed once pg_restore has read it back whole.
 */
export async function backupPostgres(options: { db: Db; url: string; out: string; env: Env; knownMigrations: readonly string[] }): Promise<BackupContents & { schema: string }> {
  const { db, url, out, env } = options;
  const target = path.resolve(out);
  const connection = pgConnection(url);
  return refusing('No backup was written.', async () => {
    const schema = await tailorSchema(db);
    if ((await countRowsIn(db, schema, DEFAULT_MIGRATION_TABLE)) === undefined) {
      throw new BackupError(`${redactDatabaseUrl(url)} has no Tailor tables in schema "${schema}": nothing to back up.`);
    }
    if (!(await fs.stat(path.dirname(target)).catch(() => undefined))?.isDirectory()) {
      throw new BackupError(`--out ${out}: the directory ${path.dirname(target)} does not exist.`);
    }
    if ((await fs.stat(target).catch(() => undefined))?.isDirectory()) throw new BackupError(`--out ${out} is a directory; name a file.`);
    const partial = partialPathFor(target);
    try {
      await runPgTool(
        'pg_dump',
        ['--format=custom', `--schema=${exactPattern(schema)}`, `--lock-wait-timeout=${LOCK_WAIT_MS}`, `--file=${partial}`, `--dbname=${connection.dbname}`],
        { env, password: connection.password },
      );
      const contents = await inspectPostgresFile(partial, out, env);
      await fs.chmod(partial, BACKUP_FILE_MODE);
      await commitPartial(partial, target);
      return { bytes: contents.bytes, tables: contents.tables, migrations: recordedState(contents.recorded, options.knownMigrations), schema };
    } catch (error) {
      await removeQuietly(partial);
      throw error;
    }
  });
}
