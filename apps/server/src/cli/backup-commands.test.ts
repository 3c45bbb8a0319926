import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteDb } from '../db/create-db.js';
import { migrateTo, migrateToLatest } from '../db/migrator.js';
import { allMigrations } from '../db/migrations/index.js';
import { createFileTestApp } from '../test/test-file-app.js';
import { createTestProject } from '../test/test-project.js';
import { dumpSqlite } from '../test/table-dumps.js';
import { runCli } from './cli.js';

const migrationNames = Object.keys(allMigrations('sqlite'));
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('tailor backup / restore on SQLite', () => {
  let root: string;
  let out: string;
  let err: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-backup-'));
    out = '';
    err = '';
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  const dataDir = (name: string) => path.join(root, name);
  const dbFile = (name: string) => path.join(root, name, 'tailor.db');
  const run = (dir: string, ...argv: string[]) =>
    runCli(argv, {
      out: (text) => {
        out += text;
      },
      err: (text) => {
        err += text;
      },
      env: { LOG_LEVEL: 'silent', DATA_DIR: dataDir(dir) },
    });

  /** A data dir whose database has an owner, a second user and a project with an attribute. */
  async function seeded(dir: string): Promise<void> {
    const t = await createFileTestApp(dataDir(dir));
    await t.createUser('ADMIN');
    const project = await createTestProject(t, { name: `Shop in ${dir}` });
    const res = await t.app.inject({ method: 'POST', url: '/api/attributes', headers: project.headersFor(t.owner), payload: { name: 'Plan', key: 'plan' } });
    expect(res.statusCode).toBe(201);
    await t.close();
  }

  async function backupOf(dir: string): Promise<string> {
    const file = path.join(root, `${dir}.backup.db`);
    expect(await run(dir, 'backup', '--out', file)).toBe(0);
    out = '';
    return file;
  }

  /** The data dir's files and their bytes, to show a refused restore touched nothing. */
  const snapshot = (dir: string) =>
    Object.fromEntries(
      fs
        .readdirSync(dataDir(dir))
        .sort()
        .map((name) => [name, fs.readFileSync(path.join(dataDir(dir), name)).toString('base64')]),
    );

  function expectRefused(code: number, message: RegExp): void {
    expect(code).toBe(1);
    expect(err.trimEnd()).toMatch(message);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at /);
  }

  it('backs up to a self-contained file and restores it into a fresh data dir, equal table by table', async () => {
    await seeded('source');
    const file = path.join(root, 'nightly.db');
    expect(await run('source', 'backup', '--out', file)).toBe(0);
    expect(out).toMatch(
      new RegExp(`^Backed up ${dbFile('source')} to ${file} \\(\\d+\\.\\d KB\\): \\d+ tables, \\d+ rows \\(2 users, 1 project\\), latest migration ${migrationNames.at(-1)}\\.\n$`),
    );
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // Rollback-journal mode (header bytes 18-19 = 1): readers need no -wal or -shm beside it.
    expect([...fs.readFileSync(file).subarray(18, 20)]).toEqual([1, 1]);
    expect(fs.readdirSync(root).filter((name) => name.includes('.partial-'))).toEqual([]);
    // Nothing left beside a stopped server's database either.
    expect(fs.readdirSync(dataDir('source'))).toEqual(['tailor.db']);

    out = '';
    expect(await run('fresh', 'restore', file)).toBe(0);
    expect(out).toMatch(new RegExp(`^Restored ${file} into ${dbFile('fresh')}, replacing a new database: \\d+ tables, .*\\(2 users, 1 project\\)`));
    expect(dumpSqlite(dbFile('fresh'))).toEqual(dumpSqlite(dbFile('source')));
    expect(fs.readdirSync(dataDir('fresh'))).toEqual(['tailor.db']);

    // The server opens the restored file as usual.
    const db = createSqliteDb(dbFile('fresh'));
    expect(await migrateToLatest(db)).toEqual([]);
    expect((await db.kysely.selectFrom('projects').select('name').execute()).map((p) => p.name)).toEqual(['Shop in source']);
    await db.close();
  });

  it('refuses a backup cut in half, and touches nothing', async () => {
    await seeded('source');
    await seeded('target');
    const file = await backupOf('source');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2 / 4096) * 4096 + 1000));
    const before = snapshot('target');
    expectRefused(await run('target', 'restore', file, '--force'), /is truncated: \d+ bytes where its header promises \d+ bytes\. Nothing was changed\.$/);
    expect(snapshot('target')).toEqual(before);
    // Cut on a page boundary, the size no longer gives it away; the header's page count still does.
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2 / 4096) * 4096));
    err = '';
    expectRefused(await run('target', 'restore', file, '--force'), /is truncated/);
    expect(snapshot('target')).toEqual(before);
  });

  it('refuses a backup with a damaged page, and touches nothing', async () => {
    await seeded('source');
    await seeded('target');
    const file = await backupOf('source');
    const probe = new SQLite(file, { readonly: true });
    const { rootpage } = probe.prepare(`select rootpage from sqlite_master where name = 'users'`).get() as { rootpage: number };
    const pageSize = probe.pragma('page_size', { simple: true }) as number;
    probe.close();
    const bytes = fs.readFileSync(file);
    randomBytes(pageSize).copy(bytes, (rootpage - 1) * pageSize);
    fs.writeFileSync(file, bytes);
    const before = snapshot('target');
    expectRefused(await run('target', 'restore', file, '--force'), /(is damaged or truncated \(integrity check|cannot be read as a Tailor database).*Nothing was changed\.$/);
    expect(snapshot('target')).toEqual(before);
  });

  it.each([
    ['random bytes', () => randomBytes(64 * 1024), /is not a SQLite database \(it does not start with "SQLite format 3"\)\. Nothing was changed\.$/],
    ['a text file', () => Buffer.from('name,email\nada,ada@example.com\n'), /is not a SQLite database/],
    ['an empty file', () => Buffer.alloc(0), /is empty\. Nothing was changed\.$/],
    ['a PostgreSQL dump', () => Buffer.concat([Buffer.from('PGDMP'), randomBytes(2000)]), /is a PostgreSQL backup \(pg_dump\), but this Tailor uses SQLite: set DATABASE_URL/],
    [
      'a SQLite database of another application',
      () => {
        const file = path.join(root, 'other.db');
        const other = new SQLite(file);
        other.exec('create table notes (id integer primary key, body text); insert into notes (body) values (\'hello\')');
        other.close();
        return fs.readFileSync(file);
      },
      /is a SQLite database but not a Tailor one \(it has no kysely_migration table\)\. Nothing was changed\.$/,
    ],
  ])('refuses %s, and touches nothing', async (_what, content, message) => {
    await seeded('target');
    const file = path.join(root, 'suspect.db');
    fs.writeFileSync(file, content());
    const before = snapshot('target');
    expectRefused(await run('target', 'restore', file, '--force'), message);
    expect(snapshot('target')).toEqual(before);
  });

  it('refuses a backup from a newer Tailor, naming the migration this build does not know', async () => {
    await seeded('source');
    await seeded('target');
    const file = await backupOf('source');
    const edit = new SQLite(file);
    edit.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('20991231000000_add_time_travel', new Date().toISOString());
    edit.close();
    const before = snapshot('target');
    expectRefused(
      await run('target', 'restore', file, '--force'),
      /was made by a newer version of Tailor: it has migration 20991231000000_add_time_travel, which this build does not know\. Upgrade Tailor, then restore\. Nothing was changed\.$/,
    );
    expect(snapshot('target')).toEqual(before);
  });

  it('refuses to replace a database with users or projects without --force, and replaces it with --force', async () => {
    await seeded('source');
    await seeded('target');
    const file = await backupOf('source');
    const before = snapshot('target');
    expectRefused(
      await run('target', 'restore', file),
      new RegExp(`^${dbFile('target')} already holds Tailor data \\(2 users, 1 project\\): pass --force to replace it with ${file}\\. Nothing was changed\\.$`),
    );
    expect(snapshot('target')).toEqual(before);
    expect(fs.readdirSync(dataDir('target')).filter((name) => name.includes('.partial-'))).toEqual([]);

    err = '';
    expect(await run('target', 'restore', file, '--force')).toBe(0);
    expect(out).toContain('replacing a database with 2 users and 1 project');
    expect(dumpSqlite(dbFile('target'))).toEqual(dumpSqlite(dbFile('source')));
    expect(fs.readdirSync(dataDir('target'))).toEqual(['tailor.db']);
  });

  it('restores over a database without users or projects without --force', async () => {
    await seeded('source');
    const empty = createSqliteDb(dbFile('target'));
    await migrateToLatest(empty);
    await empty.close();
    const file = await backupOf('source');
    expect(await run('target', 'restore', file)).toBe(0);
    expect(out).toContain('replacing an empty database');
    expect(dumpSqlite(dbFile('target'))).toEqual(dumpSqlite(dbFile('source')));
  });

  it('refuses while a server has the database open, and touches nothing', async () => {
    await seeded('source');
    const file = await backupOf('source');
    const server = await createFileTestApp(dataDir('target'));
    try {
      const before = snapshot('target');
      expectRefused(await run('target', 'restore', file, '--force'), /tailor\.db is in use: is the Tailor server \(or another tailor command\) running\? Stop it, then restore\. Nothing was changed\.$/);
      expect(snapshot('target')).toEqual(before);
      // The server still works on its own data.
      expect((await server.app.inject({ method: 'GET', url: '/api/projects', headers: server.owner.headers })).statusCode).toBe(200);
    } finally {
      await server.close();
    }
    err = '';
    expect(await run('target', 'restore', file, '--force')).toBe(0);
  });

  it('refuses while another process has the database open', async () => {
    await seeded('source');
    await seeded('target');
    const file = await backupOf('source');
    // A stand-in for the server in its own process: a WAL-mode connection, open and idle.
    const holder = spawn(
      process.execPath,
      ['-e', `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(dbFile('target'))}); d.pragma('journal_mode = WAL'); d.prepare('select count(*) from users').get(); console.log('open'); setInterval(() => {}, 1000);`],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`the holder exited with ${String(code)}`)));
      });
      const before = snapshot('target');
      expectRefused(await run('target', 'restore', file, '--force'), /is in use: is the Tailor server/);
      expect(snapshot('target')).toEqual(before);
    } finally {
      holder.kill();
    }
  });

  it('restores an older backup and leaves the newer migrations to the next start', async () => {
    const older = migrationNames.at(-2) ?? '';
    const db = createSqliteDb(dbFile('source'));
    await migrateTo(db, older);
    await db.close();
    const file = await backupOf('source');
    expect(await run('fresh', 'restore', file)).toBe(0);
    expect(out).toContain(`latest migration ${older}. 1 migration newer than the backup is pending: Tailor applies them when it next starts`);
    const restored = createSqliteDb(dbFile('fresh'));
    expect(await migrateToLatest(restored)).toEqual(migrationNames.slice(-1));
    await restored.close();
  });

  it('refuses a live database file with its write-ahead log beside it', async () => {
    await seeded('source');
    const server = await createFileTestApp(dataDir('source'));
    try {
      expect(fs.statSync(`${dbFile('source')}-wal`).size).toBeGreaterThan(0);
      expectRefused(await run('fresh', 'restore', dbFile('source')), /has a write-ahead log beside it .*make one with `tailor backup`\. Nothing was changed\.$/);
      expect(fs.existsSync(dataDir('fresh'))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('refuses to back up what is not there, or to nowhere, and leaves no partial file', async () => {
    expectRefused(await run('missing', 'backup', '--out', path.join(root, 'x.db')), /^No database at .*tailor\.db: nothing to back up \(is DATA_DIR right\?\)\. No backup was written\.$/);
    await seeded('source');
    err = '';
    expectRefused(await run('source', 'backup', '--out', path.join(root, 'no-such-dir', 'x.db')), /the directory .*no-such-dir does not exist\. No backup was written\./);
    err = '';
    expectRefused(await run('source', 'backup', '--out', dbFile('source')), /is the live database itself/);
    expect(fs.readdirSync(root).filter((name) => name.includes('.partial-'))).toEqual([]);
  });

  it('replaces an existing backup file only once the new one is complete', async () => {
    await seeded('source');
    const file = path.join(root, 'nightly.db');
    fs.writeFileSync(file, 'yesterday');
    expect(await run('source', 'backup', '--out', file)).toBe(0);
    expect(fs.readFileSync(file).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
  });
});
