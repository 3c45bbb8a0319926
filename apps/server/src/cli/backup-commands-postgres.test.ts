import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '../db/create-db.js';
import { expectOneMomentOf, startAttributeWriter } from '../test/attribute-writer.js';
import { dumpPostgres } from '../test/table-dumps.js';
import { createTestApp, type TestApp } from '../test/test-app.js';
import { createTestDb, isPostgresRun } from '../test/test-db.js';
import { createTestProject, type TestProject } from '../test/test-project.js';
import { runCli, type CliIo } from './cli.js';

const url = process.env.DATABASE_URL ?? '';
const hasPgTools = ['pg_dump', 'pg_restore'].every((tool) => spawnSync(tool, ['--version']).status === 0);

/** A second database on the same server, for restoring "elsewhere"; dropped by the returned function. */
async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tailor_restore_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

// CI's PostgreSQL pass has Debian's postgresql package, which brings pg_dump and pg_restore.
describe.skipIf(!isPostgresRun())(`tailor backup / restore on PostgreSQL${hasPgTools ? '' : ' (skipped: pg_dump and pg_restore are not on PATH)'}`, () => {
  let t: TestApp;
  let project: TestProject;
  let root: string;
  let out: string;
  let err: string;
  const schemaOf = (db: Db) => db.schema ?? 'public';
  beforeEach(async () => {
    t = await createTestApp({ env: { MANAGEMENT_RATE_LIMIT: '0' } });
    project = await createTestProject(t, { name: 'Shop', limits: { attributes: 1_000_000 } });
    // The rollup loop creates its cursor row on its first run; now, so that later writes are the test's own.
    await t.app.services.analytics.catchUp();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-pg-backup-'));
    out = '';
    err = '';
  });
  afterEach(async () => {
    await t.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const run = (argv: string[], options: { db?: Db; env?: Record<string, string> } = {}) => {
    const io: CliIo = {
      out: (text) => {
        out += text;
      },
      err: (text) => {
        err += text;
      },
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', DATA_DIR: '/tmp/tailor-cli-test-unused', DATABASE_URL: url, ...options.env },
      openDb: () => options.db ?? t.db,
    };
    return runCli(argv, io);
  };

  const createAttribute = async (name: string) =>
    (await t.app.inject({ method: 'POST', url: '/api/attributes', headers: project.headersFor(t.owner), payload: { name, key: name.toLowerCase().replaceAll(' ', '_') } })).statusCode;

  async function backup(name = 'tailor.dump'): Promise<string> {
    const file = path.join(root, name);
    expect(await run(['backup', '--out', file])).toBe(0);
    out = '';
    return file;
  }

  function expectRefused(code: number, message: RegExp): void {
    expect(code).toBe(1);
    expect(err.trimEnd()).toMatch(message);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at /);
  }

  it.skipIf(!hasPgTools)('backs up under write load and restores into another database, equal table by table', { timeout: 90_000 }, async () => {
    const schema = schemaOf(t.db);
    const file = path.join(root, 'tailor.dump');
    const writer = startAttributeWriter(t, project);
    let moment;
    try {
      await writer.until(20);
      const startedAt = writer.written();
      // pg_dump runs in its own process while this one keeps serving writes.
      expect(await run(['backup', '--out', file])).toBe(0);
      const endedAt = writer.written();
      await writer.until(endedAt + 10);
      moment = { startedAt, endedAt, projectUid: project.uid };
    } finally {
      await writer.stop();
    }
    expect(out).toMatch(new RegExp(`^Backed up schema "${schema}" of postgres://.* to ${file} \\(.*, pg_dump custom format\\): \\d+ tables, \\d+ rows \\(1 user, 1 project\\), latest migration \\d{14}_`));
    expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('PGDMP');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(root)).toEqual(['tailor.dump']);

    const scratch = await createScratchDatabase();
    const target = createPostgresDb(scratch.url, { searchPath: schema, max: 2 });
    try {
      out = '';
      expect(await run(['restore', file], { db: target, env: { DATABASE_URL: scratch.url } })).toBe(0);
      expect(out).toMatch(new RegExp(`^Restored ${file} into schema "${schema}" of postgres://.*, which had no Tailor tables: `));
      const k = expectOneMomentOf(await dumpPostgres(t.db, schema), await dumpPostgres(target, schema), { ...moment, written: writer.written() });
      expect(k).toBeGreaterThan(0);
    } finally {
      await target.close();
      await scratch.drop();
    }
  });

  it.skipIf(!hasPgTools)('refuses to replace a database with users or projects without --force, and rolls it back with --force', async () => {
    expect(await createAttribute('Before')).toBe(201);
    const file = await backup();
    const atBackup = await dumpPostgres(t.db, schemaOf(t.db));
    expect(await createAttribute('After')).toBe(201);
    const changed = await dumpPostgres(t.db, schemaOf(t.db));

    expectRefused(
      await run(['restore', file]),
      new RegExp(`^postgres://[^:@]*@.* already holds Tailor data in schema "${schemaOf(t.db)}" \\(1 user, 1 project\\): pass --force to replace it with .*\\. Nothing was changed\\.$`),
    );
    expect(await dumpPostgres(t.db, schemaOf(t.db))).toEqual(changed);

    err = '';
    expect(await run(['restore', file, '--force'])).toBe(0);
    expect(out).toContain('which had 1 user and 1 project');
    expect(await dumpPostgres(t.db, schemaOf(t.db))).toEqual(atBackup);
    // Sequences came back too: the server writes on from where the backup was.
    expect(await createAttribute('After again')).toBe(201);
  });

  it.skipIf(!hasPgTools)('refuses truncated, foreign and newer-build files, and touches nothing', async () => {
    await sql`insert into kysely_migration (name, timestamp) values ('20991231000000_add_time_travel', '2099-12-31T00:00:00.000Z')`.execute(t.db.kysely);
    const newer = await backup('newer.dump');
    await sql`delete from kysely_migration where name = '20991231000000_add_time_travel'`.execute(t.db.kysely);
    for (let i = 0; i < 300; i += 1) await createAttribute(`Bulk ${i}`);
    const valid = await backup();
    const before = await dumpPostgres(t.db, schemaOf(t.db));

    const bytes = fs.readFileSync(valid);
    const cases: Array<[string, Buffer, RegExp]> = [
      ['half.dump', bytes.subarray(0, Math.floor(bytes.length / 2)), /half\.dump is damaged or truncated: pg_restore failed \(exit code 1\): .*Nothing was changed\.$/],
      ['short.dump', bytes.subarray(0, bytes.length - 100), /short\.dump is damaged or truncated: /],
      ['random.dump', randomBytes(10_000), /random\.dump is not a PostgreSQL backup in pg_dump's custom format/],
      ['notes.txt', Buffer.from('hello\n'), /notes\.txt is not a PostgreSQL backup/],
      ['tailor.db', Buffer.concat([Buffer.from('SQLite format 3\0'), randomBytes(4080)]), /tailor\.db is a SQLite backup, but this Tailor uses PostgreSQL/],
    ];
    for (const [name, content, message] of cases) {
      fs.writeFileSync(path.join(root, name), content);
      err = '';
      expectRefused(await run(['restore', path.join(root, name), '--force']), message);
    }
    err = '';
    expectRefused(await run(['restore', newer, '--force']), /was made by a newer version of Tailor: it has migration 20991231000000_add_time_travel, which this build does not know\. Upgrade Tailor, then restore\. Nothing was changed\.$/);
    expect(await dumpPostgres(t.db, schemaOf(t.db))).toEqual(before);
  });

  it.skipIf(!hasPgTools)('refuses, even with --force, a schema with tables the backup lacks', async () => {
    const file = await backup();
    await sql`create table reports (id integer primary key)`.execute(t.db.kysely);
    const before = await dumpPostgres(t.db, schemaOf(t.db));
    expectRefused(
      await run(['restore', file, '--force']),
      new RegExp(`has tables in schema "${schemaOf(t.db)}" that .*tailor\\.dump lacks \\(reports: from a newer Tailor, or not Tailor's\\); restore into an empty database or schema, or drop them first\\. Nothing was changed\\.$`),
    );
    expect(await dumpPostgres(t.db, schemaOf(t.db))).toEqual(before);
  });

  it.skipIf(!hasPgTools)('refuses a backup of another schema than the one this Tailor uses', async () => {
    const file = await backup();
    const other = await createTestDb();
    try {
      expectRefused(
        await run(['restore', file], { db: other }),
        new RegExp(`holds schema "${schemaOf(t.db)}", but this Tailor uses schema "${schemaOf(other)}": pg_restore would put the tables beside Tailor's`),
      );
    } finally {
      await other.close();
    }
  });

  it('names the package to install when pg_dump is not on PATH, and writes nothing', async () => {
    const file = path.join(root, 'tailor.dump');
    expectRefused(
      await run(['backup', '--out', file], { env: { PATH: path.join(root, 'no-bin') } }),
      /^pg_dump was not found on PATH\. Install PostgreSQL's client programs, .*apt-get install postgresql-client.* No backup was written\.$/,
    );
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it.skipIf(!hasPgTools)('never shows the password from DATABASE_URL, even when pg_dump fails', async () => {
    const withPassword = new URL(url);
    withPassword.password = 'Sekret-p@ss';
    withPassword.port = '1';
    const code = await run(['backup', '--out', path.join(root, 'tailor.dump')], { env: { DATABASE_URL: withPassword.toString() } });
    expectRefused(code, /^pg_dump failed \(exit code 1\): .*No backup was written\.$/);
    expect(err).not.toContain('Sekret');
    expect(err).not.toContain(encodeURIComponent('Sekret-p@ss'));
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
