import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteDb, type Db } from './create-db.js';

describe('the embedded SQLite database', () => {
  let db: Db | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-sqlite-'));
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  const pragma = async (name: 'synchronous' | 'journal_mode') =>
    Object.values((await sql.raw(`pragma ${name}`).execute(db?.kysely as Db['kysely'])).rows[0] as object)[0];

  it('syncs every commit by default (FULL), in WAL mode', async () => {
    db = createSqliteDb(path.join(dir, 'full.db'));
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(2);
  });

  it('uses NORMAL when configured so', async () => {
    db = createSqliteDb(path.join(dir, 'normal.db'), 'NORMAL');
    expect(await pragma('synchronous')).toBe(1);
  });
});
