/** Timing helpers shared by the benchmarks: several runs, min/median/max, ratios. */
/**
 * The clock benchmarks read: this process's CPU time (user + system), in ms. On a shared machine
 * wall time also counts the time other processes hold the core; CPU time does not, so figures
 * and ratios stay comparable between runs. `BENCH_CLOCK=wall` switches to wall time.
 */
export const benchClock: () => number =
  process.env.BENCH_CLOCK === 'wall'
    ? () => performance.now()
    : () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      };

/** Summary of one measured operation across runs, in nanoseconds per operation. */
export interface Sample {
  label: string;
  min: number;
  median: number;
  max: number;
}

/** Runs `body(run)` `runs` times after `warmup` runs; each returns its operation count. */
export function measure(label: string, runs: number, warmup: number, body: (run: number) => number): Sample {
  for (let i = 0; i < warmup; i++) body(i);
  const perOp: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = benchClock();
    const ops = body(i + warmup);
    const t1 = benchClock();
    perOp.push(((t1 - t0) * 1e6) / ops);
  }
  perOp.sort((a, b) => a - b);
  return { label, min: perOp[0] ?? NaN, median: perOp[Math.floor(perOp.length / 2)] ?? NaN, max: perOp[perOp.length - 1] ?? NaN };
}

/**
 * Measures several evaluators in interleaved rounds (A, B, C, A, B, C, …) so that load from
 * other processes on a shared machine hits all of them alike; the ratios stay meaningful.
 */
export function measureInterleaved(entries: ReadonlyArray<{ label: string; body: (round: number) => number }>, rounds: number, warmup: number): Sample[] {
  const perOp = entries.map(() => [] as number[]);
  for (let r = 0; r < warmup + rounds; r++) {
    entries.forEach((e, k) => {
      const t0 = benchClock();
      const ops = e.body(r);
      const t1 = benchClock();
      if (r >= warmup) (perOp[k] as number[]).push(((t1 - t0) * 1e6) / ops);
    });
  }
  return entries.map((e, k) => {
    const xs = (perOp[k] as number[]).sort((a, b) => a - b);
    return { label: e.label, min: xs[0] ?? NaN, median: xs[Math.floor(xs.length / 2)] ?? NaN, max: xs[xs.length - 1] ?? NaN };
  });
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** Prints samples as a table with each one's median ratio to `baseline`. */
export function printTable(title: string, samples: readonly Sample[], baseline: Sample): void {
  console.log(`\n${title}`);
  console.log(`  ${'evaluator'.padEnd(44)} ${'min'.padStart(9)} ${'median'.padStart(9)} ${'max'.padStart(9)}   ratio to ${baseline.label} (median)`);
  for (const s of samples) {
    const ratio = s.median / baseline.median;
    console.log(`  ${s.label.padEnd(44)} ${fmt(s.min).padStart(9)} ${fmt(s.median).padStart(9)} ${fmt(s.max).padStart(9)}   ${ratio.toFixed(2)}×`);
  }
  console.log('  (ns per operation)');
}

/** Deterministic PRNG (mulberry32) so every run builds the same fixtures. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
