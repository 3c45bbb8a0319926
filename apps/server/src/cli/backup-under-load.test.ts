import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toJson } from '../db/mappers.js';
import { expectOneMomentOf, startAttributeWriter } from '../test/attribute-writer.js';
import { dumpSqlite } from '../test/table-dumps.js';
import type { TestApp } from '../test/test-app.js';
import { createFileTestApp } from '../test/test-file-app.js';
import { createTestProject, type TestProject } from '../test/test-project.js';
import { runCli } from './cli.js';

const exec = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('tailor backup under write load (SQLite)', () => {
  let root: string;
  let t: TestApp | undefined;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-backup-load-'));
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** ~15 MB of visitor profiles, so that copying takes long enough for writes to land meanwhile. */
  async function bulk(app: TestApp, project: TestProject): Promise<void> {
    const now = app.clock.now().toISOString();
    const attributes = toJson({ note: 'x'.repeat(400) });
    for (let chunk = 0; chunk < 60; chunk += 1) {
      await app.db.kysely
        .insertInto('visitor_profiles')
        .values(Array.from({ length: 500 }, (_, i) => ({ project_uid: project.uid, visitor_uid: `v-${chunk}-${i}`, attributes, created_at: now, updated_at: now })))
        .execute();
    }
  }

  it('holds one consistent moment of the source while the server keeps writing', { timeout: 60_000 }, async () => {
    const live = path.join(root, 'live');
    // No rate limit: the writer goes as fast as the server commits.
    const app = await createFileTestApp(live, { MANAGEMENT_RATE_LIMIT: '0' });
    t = app;
    const project = await createTestProject(app, { name: 'Load', limits: { attributes: 1_000_000 } });
    await bulk(app, project);
    // Checkpoint after every commit, as a busy server's WAL often does, without a sync per commit:
    // the database file itself then changes under anything that copies it outside SQLite's locks.
    await sql`pragma wal_autocheckpoint = 1`.execute(app.db.kysely);
    await sql`pragma synchronous = NORMAL`.execute(app.db.kysely);

    const writer = startAttributeWriter(app, project);
    let run;
    const file = path.join(root, 'under-load.db');
    try {
      await writer.until(20);
      const startedAt = writer.written();
      // The real binary in its own process, as an operator's cron job runs it beside the server.
      const { stdout } = await exec(
        path.join(repoRoot, 'node_modules/.bin/tsx'),
        ['--conditions=source', 'apps/server/src/cli/tailor.ts', 'backup', '--out', file],
        { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', DATA_DIR: live, LOG_LEVEL: 'silent' }, timeout: 40_000 },
      );
      expect(stdout).toMatch(/^Backed up .* to .*under-load\.db/);
      const endedAt = writer.written();
      await writer.until(endedAt + 20);
      run = { startedAt, endedAt, projectUid: project.uid };
    } finally {
      await writer.stop();
    }
    const written = writer.written();
    await app.close();
    t = undefined;

    let said = '';
    const code = await runCli(['restore', file], {
      out: (text) => (said += text),
      err: (text) => (said += text),
      env: { LOG_LEVEL: 'silent', DATA_DIR: path.join(root, 'restored') },
    });
    expect(said).toMatch(/^Restored /);
    expect(code).toBe(0);
    const k = expectOneMomentOf(dumpSqlite(path.join(live, 'tailor.db')), dumpSqlite(path.join(root, 'restored', 'tailor.db')), { ...run, written });
    expect(k).toBeGreaterThan(0);
  });
});
