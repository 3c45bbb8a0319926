import type pg from 'pg';
import type { Db } from '../db/create-db.js';

/** What runs on one process of the installation at a time: rollups, retention, scheduled work. */
export interface BackgroundJobs {
  start(): void;
  stop(): Promise<void>;
}

export interface JobLeadershipOptions {
  db: Db;
  jobs: BackgroundJobs;
  warn: (error: unknown, message: string) => void;
  info: (message: string) => void;
  onLeadingChange?: (leading: boolean) => void;
  /** How often a follower asks for the lock again, and how often the leader proves its session is alive. */
  intervalMs?: number;
}

export interface JobLeadership {
  readonly leading: boolean;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Runs the background jobs on exactly one process per installation (ADR 0094). On SQLite the
 * caller is that process (the primary of `--workers N`, or the only one). On PostgreSQL every
 * instance's job runner asks for a session advisory lock on a connection of its own; the holder
 * leads, and the others ask again every interval. PostgreSQL drops the lock with the session, so a
 * leader that dies or loses its network is replaced; a leader whose session stops answering stops
 * its jobs first. The jobs themselves stay safe if two briefly overlap (the rollup locks its cursor).
 */
export function createJobLeadership(options: JobLeadershipOptions): JobLeadership {
  const { db, jobs } = options;
  const intervalMs = options.intervalMs ?? 5000;
  let leading = false;
  let closed = false;
  let session: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;

  function lead(next: boolean): void {
    if (leading === next || (next && closed)) return;
    leading = next;
    options.onLeadingChange?.(next);
    if (next) {
      options.info('running background jobs (analytics rollup, retention) for this installation');
      jobs.start();
    }
  }

  async function dropSession(error: unknown): Promise<void> {
    const client = session;
    session = null;
    if (leading) {
      options.warn(error, 'lost the background-job lock; stopping background jobs here');
      leading = false;
      options.onLeadingChange?.(false);
      await jobs.stop();
    }
    if (client !== null) await client.end().catch(() => undefined);
  }

  async function tick(): Promise<void> {
    try {
      if (session === null) {
        const client = db.openDirectConnection!('tailor background jobs');
        client.on('error', () => undefined);
        session = client;
        await client.connect();
      }
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the job-lock session did not answer within 5 s')), 5000).unref());
      if (leading) {
        await Promise.race([session.query('select 1'), timeout]);
      } else {
        // Keyed by schema: installations (and test suites) sharing a database each get a leader.
        const result = await Promise.race([
          session.query<{ locked: boolean }>(`select pg_try_advisory_lock(hashtext('tailor.background-jobs.' || current_schema())) as locked`),
          timeout,
        ]);
        if (result.rows[0]?.locked === true) lead(true);
      }
    } catch (error) {
      await dropSession(error);
    }
  }

  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => {
      void tick().finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  return {
    get leading() {
      return leading;
    },
    async start() {
      closed = false;
      if (db.dialect === 'sqlite') {
        lead(true);
        return;
      }
      await tick();
      schedule();
    },
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (leading) {
        leading = false;
        options.onLeadingChange?.(false);
        await jobs.stop();
      }
      const client = session;
      session = null;
      if (client !== null) await client.end().catch(() => undefined);
    },
  };
}
