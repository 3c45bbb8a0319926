import type { Db } from '../../db/create-db.js';
import { databaseUnavailableError, isDatabaseUnavailable } from '../../db/database-unavailable.js';
import { UnavailableError } from '../../shared/errors.js';
import { insertEdgeEvents, type EdgeEventRecord } from './edge-event-repository.js';

export interface EdgeEventWriterOptions {
  /**
   * Rows accepted but not yet committed, at most. Past it a request is refused (503) rather than
   * queued: a database slower than the traffic must not turn into unbounded memory.
   */
  maxPendingRows: number;
  /**
   * Rows a flush takes before it stops adding requests (each request's rows stay in one flush).
   * Bounds how long one SQLite transaction holds the event loop.
   */
  maxFlushRows: number;
  /**
   * How long the first waiting request holds the door open for others. A commit costs about
   * the same for 10 rows as for 1,000 (SQLite writes whole pages to its WAL), so a few
   * milliseconds of waiting buys a many-fold cheaper commit per request.
   */
  flushDelayMs: number;
  /** Seconds a refused client is told to wait. */
  retryAfterSeconds: number;
}

export const DEFAULT_EDGE_EVENT_WRITER_OPTIONS: EdgeEventWriterOptions = { maxPendingRows: 50_000, maxFlushRows: 5_000, flushDelayMs: 2, retryAfterSeconds: 1 };

export const EVENTS_OVERLOADED = 'personalize.EVENTS.OVERLOADED';

interface Waiter {
  records: readonly EdgeEventRecord[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface EdgeEventWriter {
  /**
   * Resolves once the records are committed; rejects when their flush failed (nothing of it
   * stored, unless the connection was lost after the commit was sent), with an UnavailableError
   * when the database could not be reached.
   */
  write(records: readonly EdgeEventRecord[]): Promise<void>;
  /** Refuses new writes, then commits everything already accepted. */
  close(): Promise<void>;
  readonly pendingRows: number;
  readonly maxPendingRows: number;
}

/**
 * Group commit for `POST /edge/events` (ADR 0075). Requests hand over their validated rows and
 * wait; one flush at a time writes every waiting request's rows in one transaction and answers
 * them all. A flush starts `flushDelayMs` after the first row waits (at once when a full flush
 * is waiting), and the next one as soon as it ends, so under load each commit carries the
 * requests that arrived while the last one ran.
 */
export function createEdgeEventWriter(db: Db, options: EdgeEventWriterOptions = DEFAULT_EDGE_EVENT_WRITER_OPTIONS): EdgeEventWriter {
  let queue: Waiter[] = [];
  let pendingRows = 0;
  let flushing: Promise<void> | null = null;
  let scheduled = false;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  function run(): void {
    timer = null;
    scheduled = false;
    flushing = flushNext().finally(() => {
      flushing = null;
      schedule();
    });
  }

  function schedule(): void {
    if (scheduled || flushing !== null || queue.length === 0) return;
    scheduled = true;
    if (pendingRows >= options.maxFlushRows || options.flushDelayMs <= 0) setImmediate(run);
    else timer = setTimeout(run, options.flushDelayMs);
  }

  /** Takes whole requests from the head of the queue up to maxFlushRows and commits them together. */
  async function flushNext(): Promise<void> {
    let rows = 0;
    let taken = 0;
    while (taken < queue.length && (taken === 0 || rows + (queue[taken]?.records.length ?? 0) <= options.maxFlushRows)) {
      rows += queue[taken]?.records.length ?? 0;
      taken += 1;
    }
    const batch = queue.slice(0, taken);
    queue = queue.slice(taken);
    try {
      await db.kysely.transaction().execute((trx) => insertEdgeEvents(trx, db.dialect, batch.flatMap((w) => w.records)));
      for (const w of batch) w.resolve();
    } catch (error) {
      // Refused, never kept to retry later: an answer before the commit would break "acknowledged
      // means stored" (ADR 0075). The client holds the events and is told when to send them again.
      const refusal = isDatabaseUnavailable(error) ? databaseUnavailableError(error) : error;
      for (const w of batch) w.reject(refusal);
    } finally {
      // Counted until committed or failed: the bound is on memory held, not on the queue alone.
      pendingRows -= rows;
    }
  }

  return {
    write(records) {
      if (records.length === 0) return Promise.resolve();
      if (closed) return Promise.reject(new UnavailableError(EVENTS_OVERLOADED, 'The server is shutting down; send the events again shortly.', options.retryAfterSeconds));
      if (pendingRows + records.length > options.maxPendingRows) {
        return Promise.reject(
          new UnavailableError(EVENTS_OVERLOADED, `Too many events are waiting to be stored; retry in ${options.retryAfterSeconds} s.`, options.retryAfterSeconds),
        );
      }
      pendingRows += records.length;
      return new Promise<void>((resolve, reject) => {
        queue.push({ records, resolve, reject });
        // Enough rows for a full flush: no reason to wait out the delay.
        if (timer !== null && pendingRows >= options.maxFlushRows) {
          clearTimeout(timer);
          timer = null;
          setImmediate(run);
        } else schedule();
      });
    },

    async close() {
      closed = true;
      if (timer !== null) {
        clearTimeout(timer);
        run();
      }
      // A finished flush schedules the next one before its promise settles, so this sees it.
      while (flushing !== null || scheduled) await (flushing ?? new Promise<void>((resolve) => setImmediate(resolve)));
    },

    get pendingRows() {
      return pendingRows;
    },

    maxPendingRows: options.maxPendingRows,
  };
}
