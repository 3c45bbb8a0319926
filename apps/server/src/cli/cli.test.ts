import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../config.js';
import type { Db } from '../db/create-db.js';
import { pendingMigrations } from '../db/migrator.js';
import { createTestDb } from '../test/test-db.js';
import { runCli } from './cli.js';

const exec = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('tailor CLI commands', () => {
  let db: Db;
  let out: string;
  let err: string;
  const served: Config[] = [];
  beforeEach(async () => {
    db = await createTestDb();
    out = '';
    err = '';
  });
  afterEach(async () => {
    await db.close();
  });

  const run = (...argv: string[]) =>
    runCli(argv, {
      out: (text) => {
        out += text;
      },
      err: (text) => {
        err += text;
      },
      env: { LOG_LEVEL: 'silent', DATA_DIR: '/tmp/tailor-cli-test-unused' },
      openDb: () => db,
      serve: async (config) => {
        served.push(config);
      },
    });

  it('creates a user who can then log in, with a case-insensitive role', async () => {
    expect(await run('user', 'create', '--email', 'Ada@Example.com', '--password', 'long secret', '--org-role', 'admin')).toBe(0);
    expect(out).toMatch(/^Created ADMIN ada@example\.com \([0-9a-f]{24}\)\.\n$/);
    const row = await db.kysely.selectFrom('users').select(['email', 'org_role', 'first_name']).executeTakeFirstOrThrow();
    expect(row).toEqual({ email: 'ada@example.com', org_role: 'ADMIN', first_name: 'Ada' });
    out = '';
    expect(await run('user', 'list')).toBe(0);
    expect(out).toContain('ADMIN   ada@example.com');
  });

  it('refuses a duplicate email with one clear line and exit code 1', async () => {
    await run('user', 'create', '--email', 'ada@example.com', '--password', 'long secret');
    err = '';
    expect(await run('user', 'create', '--email', 'ADA@example.com', '--password', 'long secret')).toBe(1);
    expect(err).toBe('A user with the email ada@example.com already exists.\n');
  });

  it.each([
    [['--email', 'not-an-email', '--password', 'long secret'], '--email: Expected an email address'],
    [['--email', 'a@example.com', '--password', 'short'], '--password: Expected at least 8 characters.'],
    [['--email', 'a@example.com', '--password', 'long secret', '--org-role', 'king'], 'Expected one of OWNER, ADMIN, MEMBER, received "king"'],
    [['--password', 'long secret'], "required option '--email <email>' not specified"],
  ])('refuses %j without a stack trace', async (args, message) => {
    expect(await run('user', 'create', ...args)).toBe(1);
    expect(err).toContain(message);
    expect(err).not.toMatch(/\n\s+at /);
    expect(await db.kysely.selectFrom('users').select('uid').execute()).toEqual([]);
  });

  it('migrates down, reports status, and up again', async () => {
    expect(await run('migrate')).toBe(0);
    expect(out).toBe('Nothing to do.\n');
    out = '';
    expect(await run('migrate', '--down')).toBe(0);
    expect(out).toMatch(/^Reverted: .*20261129000000_create_foundation\n$/);
    expect((await pendingMigrations(db)).length).toBeGreaterThan(0);
    out = '';
    expect(await run('migrate', '--status')).toBe(0);
    expect(out).toContain('pending  20261129000000_create_foundation');
    out = '';
    expect(await run('migrate')).toBe(0);
    expect(out).toMatch(/^Applied: 20261129000000_create_foundation/);
    expect(await pendingMigrations(db)).toEqual([]);
  });

  it('serves with the configuration from the environment', async () => {
    expect(await run('serve')).toBe(0);
    expect(served.at(-1)?.logLevel).toBe('silent');
  });

  it('answers an unknown command with the usage hint', async () => {
    expect(await run('frobnicate')).toBe(1);
    expect(err).toContain("unknown command 'frobnicate'");
  });
});

describe('tailor binary', () => {
  const tailor = (args: string[], env: Record<string, string> = {}) =>
    exec(path.join(repoRoot, 'node_modules/.bin/tsx'), ['--conditions=source', 'apps/server/src/cli/tailor.ts', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: '/tmp/tailor-cli-test-unused', ...env },
    });

  it('prints help naming every command', async () => {
    const { stdout } = await tailor(['--help']);
    for (const word of ['serve', 'migrate', 'user', 'backup', 'restore', 'DATABASE_URL', 'Examples']) expect(stdout).toContain(word);
  });

  it('stops on a bad variable with exit code 1 and a message naming it, no stack trace', async () => {
    const failure = await tailor(['migrate'], { PORT: 'abc' }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('PORT');
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });
});
