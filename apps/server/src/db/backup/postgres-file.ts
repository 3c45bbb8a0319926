import fs from 'node:fs/promises';
import { DEFAULT_MIGRATION_TABLE } from 'kysely';
import { BackupError } from './backup-error.js';
import { runPgTool, ToolFailedError, type Env } from './pg-tools.js';

export interface PostgresFileContents {
  bytes: number;
  /** The schema the backup's Tailor tables are in (and will be restored into). */
  schema: string;
  tables: Array<{ name: string; rows: number }>;
  /** The names in Tailor's migrations table. */
  recorded: string[];
  /** `pg_restore --list`: the table of contents, one entry a line. */
  listing: string[];
}

/** Refuses anything but pg_dump's custom format from its first bytes. */
export async function checkPostgresHeader(file: string): Promise<void> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new BackupError(`${file}: no such file.`);
  const header = Buffer.alloc(16);
  const handle = await fs.open(file, 'r');
  const { bytesRead } = await handle.read(header, 0, 16, 0).finally(() => handle.close());
  const start = header.subarray(0, bytesRead).toString('latin1');
  if (start.startsWith('PGDMP')) return;
  if (start.startsWith('SQLite format 3')) {
    throw new BackupError(`${file} is a SQLite backup, but this Tailor uses PostgreSQL (DATABASE_URL is set): unset DATABASE_URL to restore it into DATA_DIR.`);
  }
  throw new BackupError(`${file} is not a PostgreSQL backup in pg_dump's custom format (it does not start with "PGDMP"); a plain SQL dump is restored with psql.`);
}

/** `pg_restore --list` lines: `216; 1259 426448 TABLE t_abc users postgres`. */
function tablesOfList(listing: readonly string[]): Array<{ schema: string; name: string }> {
  const tables: Array<{ schema: string; name: string }> = [];
  for (const line of listing) {
    const entry = /^\d+; \d+ \d+ (.*)$/.exec(line)?.[1];
    if (!entry?.startsWith('TABLE ') || entry.startsWith('TABLE DATA ')) continue;
    const [schema = '', name = ''] = entry.slice('TABLE '.length).split(' ');
    tables.push({ schema, name });
  }
  return tables;
}

/**
 * Reads a custom-format backup whole, without a database: its table of contents (`--list`), then
 * every table's data as pg_restore would send it, counting rows and taking the migration names.
 * A file cut short fails here, where pg_restore meets the end of the file in a data block.
 */
export async function inspectPostgresFile(file: string, label: string, env: Env): Promise<PostgresFileContents> {
  const { size } = await fs.stat(file);
  const listing: string[] = [];
  await runPgTool('pg_restore', ['--list', file], { env, password: undefined, onLine: (line) => listing.push(line) }).catch((error: unknown) => {
    throw error instanceof ToolFailedError ? new BackupError(`${label} is damaged or truncated: ${error.message}`) : error;
  });
  const tables = tablesOfList(listing);
  const schemas = [...new Set(tables.filter((t) => t.name === DEFAULT_MIGRATION_TABLE).map((t) => t.schema))];
  if (schemas.length === 0) throw new BackupError(`${label} is a PostgreSQL backup but not of Tailor (it has no ${DEFAULT_MIGRATION_TABLE} table).`);
  if (schemas.length > 1) throw new BackupError(`${label} holds several Tailor schemas (${schemas.join(', ')}); back up one with \`tailor backup\`.`);
  const schema = schemas[0] ?? '';

  const rows = new Map<string, number>();
  const recorded: string[] = [];
  let copying: { table: string; nameColumn: number } | undefined;
  const onLine = (line: string) => {
    if (copying) {
      if (line === '\\.') {
        copying = undefined;
        return;
      }
      rows.set(copying.table, (rows.get(copying.table) ?? 0) + 1);
      if (copying.table === DEFAULT_MIGRATION_TABLE && copying.nameColumn >= 0) recorded.push(line.split('\t')[copying.nameColumn] ?? '');
      return;
    }
    // COPY text format: one line per row (newlines inside values are escaped), ended by `\.`.
    const copy = /^COPY ([^ .]+)\.([^ ]+) \((.*)\) FROM stdin;$/.exec(line);
    if (copy?.[1] === schema && copy[2] !== undefined) {
      const columns = (copy[3] ?? '').split(', ').map((c) => c.replaceAll('"', ''));
      copying = { table: copy[2], nameColumn: columns.indexOf('name') };
      rows.set(copy[2], rows.get(copy[2]) ?? 0);
    }
  };
  await runPgTool('pg_restore', ['--data-only', `--schema=${schema}`, '--file=-', file], { env, password: undefined, onLine }).catch((error: unknown) => {
    throw error instanceof ToolFailedError ? new BackupError(`${label} is damaged or truncated: ${error.message}`) : error;
  });
  return {
    bytes: size,
    schema,
    tables: tables
      .filter((t) => t.schema === schema)
      .map((t) => ({ name: t.name, rows: rows.get(t.name) ?? 0 }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    recorded,
    listing,
  };
}

/**
 * The table of contents without the schema's own entries (CREATE SCHEMA, its comment and grants):
 * restoring into a schema that exists then drops and recreates Tailor's tables only, and keeps the
 * schema with its owner and grants — `public` belongs to the database owner, not to Tailor's role.
 */
export function withoutSchemaEntries(listing: readonly string[], schema: string): string[] {
  return listing.filter((line) => {
    const entry = /^\d+; \d+ \d+ (.*)$/.exec(line)?.[1];
    if (entry === undefined) return true;
    return !(entry.startsWith(`SCHEMA - ${schema} `) || entry === `SCHEMA - ${schema}` || entry.startsWith(`COMMENT - SCHEMA ${schema} `) || entry.startsWith(`ACL - SCHEMA ${schema} `));
  });
}
