/**
 * Edge cost benchmark (ADR 0080): what the costliest manifest the limits allow costs, and what it
 * does to every other project's requests. A child process (edge-cost-bench-server.ts) serves the
 * built app with that project (100 experiences × 50 rules, the regex budget full, every other rule
 * of a kind whose cost grows with its input) and a cheap project, and reports the CPU of each worst
 * manifest with the decision's work budget and without it. This process then loads it over
 * loopback:
 *   1. the cheap project's manifest alone, evenly paced (the baseline);
 *   2. the same paced load while `c` connections request worst manifests back to back, for c = 1
 *      and c = 4: the cheap project's latency, against the baseline, and the server's longest stall.
 * Goals: ≤ 5 ms of CPU per worst manifest; a cheap request delayed by no more than that per
 * worst request in flight. EDGE_COST_SECONDS sets each run's length (default 5).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import type { CostServerReady, CpuFigures } from './edge-cost-bench-server.js';
import { pacedLoad, type PacedFigures } from './paced-load.js';

const SECONDS = Math.min(20, Number(process.env.EDGE_COST_SECONDS ?? 5));
const CHEAP_RATE = 200;
const CHEAP_CONNECTIONS = 8;
const HAMMERS = [1, 4];

interface ServerSample {
  cpuMs: number;
  exhausted: number;
  loop: { p99: number; max: number };
}

async function sample(child: ChildProcess): Promise<ServerSample> {
  child.send('cpu');
  const [reply] = (await once(child, 'message')) as [{ micros: { user: number; system: number }; loop: { p99: number; max: number }; exhausted: number }];
  return { cpuMs: (reply.micros.user + reply.micros.system) / 1000, exhausted: reply.exhausted, loop: reply.loop };
}

function hammer(url: string, headers: Record<string, string>, connections: number): Promise<{ total: number; p50: number; p99: number; non2xx: number }> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: SECONDS, headers }, (error, result) => {
      if (error) reject(error);
      else resolve({ total: result.requests.total, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx + result.errors });
    });
  });
}

const ms = (n: number): string => `${n.toFixed(2)} ms`;
const cpuLine = (label: string, f: CpuFigures): string =>
  `${label.padEnd(34)} CPU p50 ${ms(f.p50)}   p99 ${ms(f.p99)}   mean ${ms(f.mean)}   max ${ms(f.max)};   wall p50 ${ms(f.wallP50)}   p99 ${ms(f.wallP99)};   budget spent in ${Math.round(f.exhausted * 100)} % of decisions`;
const latencyLine = (label: string, f: PacedFigures, base: PacedFigures): string =>
  `${label.padEnd(34)} p50 ${String(f.p50).padStart(3)} ms (${(f.p50 / base.p50).toFixed(2)}×)   p99 ${String(f.p99).padStart(3)} ms (${(f.p99 / base.p99).toFixed(2)}×, +${f.p99 - base.p99} ms)   errors ${f.errors + f.non2xx}`;

export async function runEdgeCostBench(): Promise<void> {
  const execArgv = process.execArgv.filter((flag) => flag !== '--conditions=source');
  const child = fork(new URL('./edge-cost-bench-server.ts', import.meta.url), { execArgv, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  try {
    const [ready] = (await once(child, 'message')) as [CostServerReady];
    const base = `http://127.0.0.1:${ready.port}`;
    const manifestUrl = `${base}/edge/manifest`;
    const cheap = (label: string) => pacedLoad(manifestUrl, CHEAP_RATE, SECONDS, CHEAP_CONNECTIONS, label, () => ready.cheapHeaders);

    console.log('\n== edge cost: the costliest manifest the limits allow (ADR 0080)');
    console.log(
      `worst project: 100 experiences × 50 rules (OR, none matches); ${ready.regexRules} distinct regex rules = ${ready.regexInstructions} instructions of the 50,000 allowed; ` +
        `visitor: 100 stored attributes of 1 KB, x-live-attributes ${ready.liveBytes} B, 2 KB referrer and page URL (seeded in ${ready.seedSeconds.toFixed(0)} s)`,
    );
    console.log(cpuLine('worst manifest', ready.bounded));
    console.log(`${'worst manifest without the budget'.padEnd(34)} CPU mean ${ms(ready.unboundedMs)}: ${(ready.unboundedMs / ready.bounded.mean).toFixed(0)}× the bounded one`);
    console.log(cpuLine('cheap manifest', ready.cheapCpu));

    await sample(child);
    const alone = await cheap('cheap project alone');
    const aloneServer = await sample(child);
    console.log(`\ncheap project's manifest, ${CHEAP_RATE} req/s evenly paced, ${SECONDS} s per run (latency as its clients see it):`);
    console.log(`${latencyLine('alone (baseline)', alone, alone)}   longest server stall ${ms(aloneServer.loop.max)}`);
    for (const connections of HAMMERS) {
      const before = await sample(child);
      const [loaded, worst] = await Promise.all([cheap(`beside ${connections} worst`), hammer(manifestUrl, ready.worstHeaders, connections)]);
      const after = await sample(child);
      const cheapCpu = (loaded.total * ready.cheapCpu.mean) / 1000;
      const perWorst = (after.cpuMs - before.cpuMs - cheapCpu) / Math.max(1, worst.total);
      console.log(
        `${latencyLine(`beside ${connections} connection(s) of worst`, loaded, alone)}   longest server stall ${ms(after.loop.max)}\n` +
          `${''.padEnd(34)} worst: ${(worst.total / SECONDS).toFixed(0)} req/s, p99 ${worst.p99} ms, server CPU ≈ ${ms(perWorst)} each, ` +
          `budget spent in ${Math.round(((after.exhausted - before.exhausted) / Math.max(1, worst.total)) * 100)} %, errors ${worst.non2xx}`,
      );
    }
  } finally {
    child.send('stop');
    await once(child, 'exit');
  }
}
