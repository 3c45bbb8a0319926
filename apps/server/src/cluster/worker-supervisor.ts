import cluster, { type Worker } from 'node:cluster';
import { isRelayedMessage } from './ipc-change-channel.js';
import type { PrimaryLog } from './primary-log.js';

export interface SupervisorOptions {
  count: number;
  log: PrimaryLog;
  /** Once, when every worker first listens. */
  onServing: () => void;
  /** A worker died before any worker ever served (a port in use, a bad database): start-up failed. */
  onStartFailed: (reason: string) => void;
  /** Messages from workers other than those relayed to the others (metrics requests). */
  onMessage?: (worker: Worker, message: unknown) => void;
  /** Workers still running this long after SIGTERM are killed. */
  stopTimeoutMs?: number;
}

export interface Supervisor {
  readonly workers: number;
  /** SIGTERM to every worker (each drains its requests), then waits for them all to exit. */
  stop(): Promise<void>;
}

/**
 * Forks the workers that serve the port, relays change announcements between them, and keeps
 * their number: a worker that exits while Tailor runs is replaced, at once when it had run for a
 * while, after a growing pause (up to 10 s) when workers keep dying young, so a crash loop does
 * not spin the CPU.
 */
export function superviseWorkers(options: SupervisorOptions): Supervisor {
  const live = new Set<Worker>();
  let listening = 0;
  let serving = false;
  let stopping = false;
  let youngDeaths = 0;
  let stopped: (() => void) | null = null;

  function fork(): void {
    const worker = cluster.fork();
    const startedAt = Date.now();
    live.add(worker);
    worker.on('message', (message: unknown) => {
      if (!isRelayedMessage(message)) {
        options.onMessage?.(worker, message);
        return;
      }
      for (const other of live) if (other !== worker && other.isConnected()) other.send(message);
    });
    worker.once('listening', () => {
      listening += 1;
      if (!serving && listening >= options.count) {
        serving = true;
        options.onServing();
      }
    });
    worker.on('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) {
        if (live.size === 0) stopped?.();
        return;
      }
      if (!serving) {
        options.onStartFailed(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}) before Tailor served`);
        return;
      }
      youngDeaths = Date.now() - startedAt < 10_000 ? youngDeaths + 1 : 0;
      const delay = youngDeaths === 0 ? 0 : Math.min(10_000, 250 * 2 ** youngDeaths);
      options.log.error(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another${delay > 0 ? ` in ${delay} ms` : ''}`, { code, signal });
      setTimeout(() => {
        if (!stopping) fork();
      }, delay).unref();
    });
  }

  for (let i = 0; i < options.count; i += 1) fork();

  return {
    get workers() {
      return live.size;
    },
    async stop() {
      stopping = true;
      if (live.size === 0) return;
      const done = new Promise<void>((resolve) => {
        stopped = resolve;
      });
      for (const worker of live) worker.process.kill('SIGTERM');
      const force = setTimeout(() => {
        options.log.error('workers still running after the shutdown timeout; killing them');
        for (const worker of live) worker.process.kill('SIGKILL');
      }, options.stopTimeoutMs ?? 15_000);
      await done;
      clearTimeout(force);
    },
  };
}
