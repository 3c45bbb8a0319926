/** The scale benchmark's settings and its server processes: start, stop, CPU read from /proc. */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const env = process.env;
export const bounded = (value: number, min: number, max: number, fallback: number) => (Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback);
export const ROUNDS = bounded(Number(env.SCALE_BENCH_ROUNDS ?? 2), 1, 5, 2);
export const SECONDS = bounded(Number(env.SCALE_BENCH_SECONDS ?? 10), 2, 30, 10);
export const PG_URL = env.SCALE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';
/** Which of the three parts run: `cores,propagation,ingestion` by default. */
export const PARTS = new Set((env.SCALE_BENCH_PARTS ?? 'cores,propagation,ingestion').split(',').map((p) => p.trim()));

export const CONNECTIONS = 50;
/** Per instance in the ingestion run: with more clients each group commit carries more requests. */
export const INGEST_CONNECTIONS = 32;
export const AUDIENCES = 300;
export const EXPERIENCES = 100;
export const VISITORS = 10_000;
/**
 * The second manifest run's visitors, few enough that each comes back to every worker within
 * the 1 s a worker may keep a profile: it measures the workers with the same cache hits a sole
 * process gets from keeping profiles until they change.
 */
export const RECURRING_VISITORS = 300;
export const INGEST_VISITORS = 200_000;
export const EDITS = 100;
export const POLL_MS = 2;
/** An edit not served by then counts as lost (and as this long) rather than stalling the run. */
export const EDIT_TIMEOUT_MS = 5000;
export const WARM_UP_SECONDS = 2;
export const FRESH_GOAL_MS = 250;

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN = { email: 'bench@example.com', password: 'bench-password' };
export const USER_AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
];
export const IPS = ['8.8.8.8', '81.2.69.142', '1.1.1.1', '2001:4860:4860::8888', '10.0.0.7'];

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const fmt = (n: number) => Math.round(n).toLocaleString('en');
export const pct = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;


export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime (µs) and parent of every process /proc shows; the kernel does not keep a children list here. */
export function processTable(): Map<number, { ppid: number; micros: number }> {
  const table = new Map<number, { ppid: number; micros: number }>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { ppid: Number(fields[1]), micros: ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS });
    } catch {
      // ended while the table was read
    }
  }
  return table;
}

export function descendants(root: number, table = processTable()): number[] {
  const found = [root];
  for (let i = 0; i < found.length; i++) for (const [pid, p] of table) if (p.ppid === found[i]) found.push(pid);
  return found.filter((pid) => table.has(pid));
}

/** CPU (µs) used so far by each listed process that still runs. */
export function cpuOf(pids: readonly number[], table = processTable()): Map<number, number> {
  return new Map(pids.flatMap((pid) => (table.has(pid) ? [[pid, table.get(pid)!.micros] as const] : [])));
}

/** CPU time (µs) all the machine's processes have used: less ours, what the neighbours on a shared machine took. */
export function machineBusy(): number {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = fields;
  return ((user + nice + system + irq + softirq) * 1e6) / CLOCK_TICKS;
}

export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, micros] of after) sum += micros - (before.get(pid) ?? 0);
  return sum;
}

export interface Server {
  name: string;
  url: string;
  /** Whether its log says it runs the installation's background jobs (the rollup). */
  leads(): boolean;
  /** The process and its workers, the primary first. */
  tree(): number[];
  stop(): Promise<void>;
}

export const running = new Set<Server>();

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Ready once `/readyz` is 200 and the start-up line is out: with workers, the primary logs it once every worker listens. */
export async function startTailor(name: string, options: { workers: number; dataDir: string; databaseUrl?: string }): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['apps/server/bin/tailor.js', 'serve', '--workers', String(options.workers)], {
    cwd: REPO,
    env: {
      PATH: env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
      TAILOR_ADMIN_EMAIL: ADMIN.email,
      TAILOR_ADMIN_PASSWORD: ADMIN.password,
      MANAGEMENT_RATE_LIMIT: '0',
      TRUST_PROXY: 'loopback',
      // The readiness and job-leadership lines are info; requests are not logged.
      LOG_LEVEL: 'info',
      REQUEST_LOG: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line.trim() === '') continue;
      if (lines.length >= 2000) lines.splice(0, 1000);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: number | string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? signal ?? -1;
      resolve();
    }),
  );
  const server: Server = {
    name,
    url: `http://127.0.0.1:${port}`,
    leads: () => lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('running background jobs')),
    tree: () => descendants(child.pid ?? -1),
    async stop() {
      running.delete(server);
      if (exited !== null) return;
      const tree = server.tree();
      child.kill('SIGTERM');
      await Promise.race([exit, sleep(20_000)]);
      // Whatever outlived the drain (the primary or a worker it lost track of) is ours to end.
      const table = processTable();
      for (const pid of tree) {
        try {
          if (table.has(pid)) process.kill(pid, 'SIGKILL');
        } catch {
          // ended meanwhile
        }
      }
    },
  };
  running.add(server);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`${name} exited (${String(exited)}) before it was ready:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
    const serving = lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('Tailor is serving'));
    if (serving) {
      const ready = await fetch(`${server.url}/readyz`).then(
        async (r) => {
          await r.arrayBuffer();
          return r.status === 200;
        },
        () => false,
      );
      if (ready) return server;
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${name} was not ready within 60 s:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
    }
    await sleep(100);
  }
}
