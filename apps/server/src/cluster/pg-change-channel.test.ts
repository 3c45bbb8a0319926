import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/create-db.js';
import { createTestDb, isPostgresRun } from '../test/test-db.js';
import type { AnnouncedChange, ChangeChannel } from './change-channel.js';
import { createPgChangeChannel } from './pg-change-channel.js';

const change = (n: number): AnnouncedChange => ({ projectUid: 'p1', resource: 'audience', resourceUid: `a${n}`, revision: n });

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(!isPostgresRun())('the PostgreSQL change channel', () => {
  let db: Db;
  const channels: ChangeChannel[] = [];
  const warnings: string[] = [];

  function channel(origin: string) {
    const received: AnnouncedChange[] = [];
    let resyncs = 0;
    const states: string[] = [];
    const c = createPgChangeChannel({
      db,
      origin,
      warn: (_error, message) => warnings.push(message),
      info: () => undefined,
      onStateChange: (state) => states.push(state),
      reconnectMs: { first: 50, max: 200 },
    });
    c.onChange((announced) => received.push(announced));
    c.onResync(() => (resyncs += 1));
    channels.push(c);
    return { c, received, states, resyncs: () => resyncs };
  }

  beforeEach(async () => {
    db = await createTestDb();
    warnings.length = 0;
  });

  afterEach(async () => {
    await Promise.all(channels.splice(0).map((c) => c.close()));
    await db.close();
  });

  it('delivers each announcement to the other processes, not back to its sender, in order', async () => {
    const a = channel('aaaaaaaa-1');
    const b = channel('bbbbbbbb-1');
    await a.c.start();
    await b.c.start();
    for (let n = 1; n <= 5; n += 1) await a.c.announce(change(n));
    await until(() => b.received.length === 5);
    expect(b.received).toEqual([1, 2, 3, 4, 5].map(change));
    expect(a.received).toEqual([]);
  });

  it('reconnects after its session is killed, asks for a resync, and hears announcements again', async () => {
    const a = channel('aaaaaaaa-2');
    const b = channel('bbbbbbbb-2');
    await a.c.start();
    await b.c.start();
    expect(b.resyncs()).toBe(1);
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const killed = await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'tailor changes bbbbbbbb'");
      expect(killed.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await until(() => b.states.includes('down'));
    expect(warnings.some((w) => w.startsWith('change channel lost'))).toBe(true);
    await until(() => b.c.state === 'up' && b.resyncs() === 2);
    await a.c.announce(change(7));
    await until(() => b.received.length === 1);
    expect(b.received).toEqual([change(7)]);
  });

  it('never throws from announce while the database refuses it, and warns once per streak', async () => {
    const broken = await createTestDb();
    const a = createPgChangeChannel({ db: broken, origin: 'cccccccc-3', warn: (_e, m) => warnings.push(m), info: () => undefined });
    await broken.close();
    await a.announce(change(1));
    await a.announce(change(2));
    expect(warnings.filter((w) => w.startsWith('could not announce'))).toHaveLength(1);
  });
});
