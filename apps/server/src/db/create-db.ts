import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Database } from './schema.js';
import { MigrationLockingSqliteDialect } from './sqlite-migration-lock.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** The PostgreSQL schema the connection's search_path points at, when not the default. */
  schema?: string;
  /** PostgreSQL only: the connection pool's current use, read by the server's metrics. */
  poolUse?: () => PoolUse;
  /**
   * PostgreSQL only: a new connection of its own, outside the pool, with the pool's search_path,
   * for what needs one session held open (LISTEN, the background-job lock). It goes to the
   * direct URL, since a transaction-mode pooler hands each statement to another session.
   */
  openDirectConnection?: (applicationName: string) => pg.Client;
  close(): Promise<void>;
}

export interface PoolUse {
  /** Connections open, idle or lent to a query. */
  open: number;
  idle: number;
  /** Queries waiting for a connection because all `max` are lent. */
  waiting: number;
  max: number;
}

export interface PgOptions {
  /** Used by tests to isolate each suite in its own schema. */
  searchPath?: string;
  max?: number;
  /** How long a query waits for a connection, new or free (5 s); outage tests shorten it. */
  connectionTimeoutMillis?: number;
  /** Where `openDirectConnection` connects: the database itself when DATABASE_URL is a pooler. */
  directUrl?: string;
}

export function createDb(database: Config['database'], pgOptions: PgOptions = {}): Db {
  if (database.kind === 'sqlite') return createSqliteDb(database.file, database.synchronous);
  return createPostgresDb(database.url, { max: database.poolSize, directUrl: database.directUrl, ...pgOptions });
}

/**
 * `:memory:` gives a private database, for tests. In WAL mode `NORMAL` already survives a process
 * crash; `FULL` (the default) also syncs each commit, so an acknowledged write survives a power
 * loss too (ADR 0084).
 */
export function createSqliteDb(file: string, synchronous: 'FULL' | 'NORMAL' = 'FULL'): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // First: switching a new file to WAL needs a moment's exclusive lock, and another process
  // opening the same file at once must wait for it, not fail with SQLITE_BUSY.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`synchronous = ${synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
  const kysely = new Kysely<Database>({ dialect: new MigrationLockingSqliteDialect({ database: sqlite }) });
  return { kysely, dialect: 'sqlite', close: () => kysely.destroy() };
}

export function createPostgresDb(url: string, options: PgOptions = {}): Db {
  const max = options.max ?? 10;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // A blackholed network never refuses: without a bound, a request would wait on the kernel's
    // TCP timeout (minutes) instead of getting a 503 to retry. It also bounds the wait for a free
    // connection while all `max` are lent. No query or statement timeout: rollups and imports
    // legitimately run long, and a server that goes away ends their queries anyway.
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  // A connection the server drops (restart, failover, idle timeout) emits 'error' on the pool
  // while idle, and on the client itself while lent out; an 'error' nobody listens to ends the
  // process. The pool discards the broken client and connects anew on demand, and the query that
  // was using it, or the next one, fails with the same error: that is where it is reported.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const sessionOptions = options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {};
  return {
    kysely,
    dialect: 'postgres',
    ...(options.searchPath ? { schema: options.searchPath } : {}),
    poolUse: () => ({ open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
    openDirectConnection: (applicationName) =>
      new pg.Client({ connectionString: options.directUrl ?? url, connectionTimeoutMillis: 5000, application_name: applicationName, ...sessionOptions }),
    close: () => kysely.destroy(),
  };
}
