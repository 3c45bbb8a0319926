import { describe, expect, it } from 'vitest';
import { BackupError } from './backup-error.js';
import { checkRecordedMigrations } from './migration-check.js';

const known = ['20261129000000_create_foundation', '20261129010000_create_audiences', '20261203010000_create_known_devices'];

describe('checkRecordedMigrations', () => {
  it('accepts every migration this build knows, in any recorded order', () => {
    expect(checkRecordedMigrations('b.db', [known[2] ?? '', known[0] ?? '', known[1] ?? ''], known)).toEqual({ latest: known[2], pending: [] });
  });

  it('accepts an older backup and names what the next start will apply', () => {
    expect(checkRecordedMigrations('b.db', known.slice(0, 1), known)).toEqual({ latest: known[0], pending: known.slice(1) });
  });

  it('refuses a backup from a newer build, naming the migration it does not know', () => {
    expect(() => checkRecordedMigrations('b.db', [...known, '20270101000000_add_frobs'], known)).toThrow(
      /^b\.db was made by a newer version of Tailor: it has migration 20270101000000_add_frobs, which this build does not know\. Upgrade Tailor/,
    );
  });

  it('calls a database whose migrations are all foreign not a Tailor database', () => {
    expect(() => checkRecordedMigrations('b.db', ['001_init', '002_more'], known)).toThrow(/b\.db: not a Tailor database/);
  });

  it('refuses an empty migrations table and a gap', () => {
    expect(() => checkRecordedMigrations('b.db', [], known)).toThrow(BackupError);
    expect(() => checkRecordedMigrations('b.db', [known[0] ?? '', known[2] ?? ''], known)).toThrow(/skip 20261129010000_create_audiences/);
  });
});
