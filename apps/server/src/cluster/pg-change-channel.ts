import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../db/create-db.js';
import { decodeChange, encodeChange, type AnnouncedChange, type ChangeChannel, type ChannelState } from './change-channel.js';

export interface PgChangeChannelOptions {
  db: Db;
  /** This process's id: its own announcements come back on its listening session and are skipped. */
  origin: string;
  warn: (error: unknown, message: string) => void;
  info: (message: string) => void;
  onStateChange?: (state: ChannelState) => void;
  reconnectMs?: { first: number; max: number };
  /** How often the listening session proves it is alive; a dead network gives no error by itself. */
  heartbeatMs?: number;
}

/**
 * The change channel over PostgreSQL LISTEN/NOTIFY (ADR 0095). Announcements go through the pool
 * (NOTIFY is an ordinary statement, delivered when it commits); listening needs one session held
 * open, so it has a connection of its own to the direct URL. A lost session is reconnected with
 * backoff, and each reconnect asks listeners to resync what they may have missed.
 */
export function createPgChangeChannel(options: PgChangeChannelOptions): ChangeChannel {
  const { db, origin } = options;
  const openDirectConnection = db.openDirectConnection;
  if (openDirectConnection === undefined) throw new Error('the PostgreSQL change channel needs a database that can open a session');
  // A schema of its own (tests, several installations in one database) gets a channel of its own.
  const channel = db.schema === undefined ? 'tailor_changes' : `tailor_changes_${db.schema}`.slice(0, 63);
  const reconnect = options.reconnectMs ?? { first: 250, max: 5000 };
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const changeListeners: Array<(change: AnnouncedChange) => void> = [];
  const resyncListeners: Array<() => void> = [];
  let state: ChannelState = 'down';
  let session: pg.Client | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let delay = reconnect.first;
  let closed = false;
  let announceFailing = false;
  const counts = { received: 0, losses: 0 };

  function setState(next: ChannelState): void {
    if (state === next) return;
    state = next;
    options.onStateChange?.(next);
  }

  function receive(message: pg.Notification): void {
    if (message.channel !== channel || message.payload === undefined) return;
    const decoded = decodeChange(message.payload);
    if (decoded === null || decoded.origin === origin) return;
    counts.received += 1;
    for (const listener of changeListeners) listener(decoded.change);
  }

  function lost(client: pg.Client, error: unknown): void {
    if (session !== client) return;
    session = null;
    if (heartbeat !== null) clearInterval(heartbeat);
    heartbeat = null;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    if (closed) return;
    if (state === 'up') {
      counts.losses += 1;
      options.warn(error, 'change channel lost: other processes\' changes are found by polling until it is back');
    }
    setState('down');
    schedule();
  }

  function schedule(): void {
    if (closed || retryTimer !== null) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, delay);
    retryTimer.unref();
    delay = Math.min(reconnect.max, delay * 2);
  }

  async function connect(): Promise<void> {
    // Named, so an operator can tell it apart in pg_stat_activity.
    const client = openDirectConnection!(`tailor changes ${origin.slice(0, 8)}`);
    session = client;
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client, new Error('the listening session ended')));
    client.on('notification', receive);
    try {
      await client.connect();
      await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
    } catch (error) {
      if (state === 'up' || delay === reconnect.first) options.warn(error, 'change channel could not listen; retrying');
      lost(client, error);
      return;
    }
    if (session !== client) return;
    delay = reconnect.first;
    heartbeat = setInterval(() => {
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the listening session did not answer within 5 s')), 5000).unref());
      Promise.race([client.query('select 1'), timeout]).catch((error: unknown) => lost(client, error));
    }, heartbeatMs);
    heartbeat.unref();
    const wasDown = state === 'down';
    setState('up');
    if (wasDown) options.info(`change channel listening on ${channel}`);
    for (const listener of resyncListeners) listener();
  }

  return {
    async announce(change) {
      try {
        await sql`select pg_notify(${channel}, ${encodeChange(origin, change)})`.execute(db.kysely);
        announceFailing = false;
      } catch (error) {
        // Once per failing streak: during an outage every write would log it otherwise.
        if (!announceFailing) options.warn(error, 'could not announce a change; other processes will find it by polling');
        announceFailing = true;
      }
    },
    onChange(listener) {
      changeListeners.push(listener);
    },
    onResync(listener) {
      resyncListeners.push(listener);
    },
    get state() {
      return state;
    },
    counts,
    async start() {
      closed = false;
      await connect();
    },
    async close() {
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      const client = session;
      session = null;
      if (heartbeat !== null) clearInterval(heartbeat);
      heartbeat = null;
      setState('down');
      if (client !== null) await client.end().catch(() => undefined);
    },
  };
}
