import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresDb, createSqliteDb } from './create-db.js';
import { migrateToLatest, pendingMigrations } from './migrator.js';
import { allMigrations } from './migrations/index.js';
import { isPostgresRun } from '../test/test-db.js';

const exec = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('instances starting at once against one empty database', () => {
  it.skipIf(isPostgresRun())('on SQLite: three processes all succeed and apply each migration once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-migrate-'));
    try {
      // Separate processes (better-sqlite3 waits for a lock synchronously, so one thread cannot
      // stand in for two instances), released at the same moment once all have started.
      const file = path.join(dataDir, 'tailor.db');
      const at = String(Date.now() + 4000);
      const runs = await Promise.all(
        [1, 2, 3].map(() =>
          exec(path.join(repoRoot, 'node_modules/.bin/tsx'), ['--conditions=source', 'apps/server/src/test/migrate-at.ts', file, at], {
            cwd: repoRoot,
            env: { PATH: process.env.PATH ?? '' },
            timeout: 40_000,
          }),
        ),
      );
      const total = Object.keys(allMigrations('sqlite')).length;
      // One applied them all, the others found nothing left.
      expect(runs.map((r) => Number(r.stdout.trim())).sort((x, y) => x - y)).toEqual([0, 0, total]);
      const db = createSqliteDb(path.join(dataDir, 'tailor.db'));
      try {
        expect(await pendingMigrations(db)).toEqual([]);
        const executed = await db.kysely.selectFrom('kysely_migration' as never).select('name' as never).execute();
        expect(executed).toHaveLength(total);
      } finally {
        await db.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.skipIf(!isPostgresRun())('on PostgreSQL: two instances apply each migration once and both come up migrated', async () => {
    const url = process.env.DATABASE_URL ?? '';
    const schema = `m_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const dbs = [createPostgresDb(url, { searchPath: schema, max: 2 }), createPostgresDb(url, { searchPath: schema, max: 2 })];
    try {
      const applied = await Promise.all(dbs.map((db) => migrateToLatest(db)));
      // Whoever ran first applied everything; the other found nothing left to do.
      expect(applied.flat().sort()).toEqual(Object.keys(allMigrations('postgres')).sort());
      for (const db of dbs) expect(await pendingMigrations(db)).toEqual([]);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  });
});
