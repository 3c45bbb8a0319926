/**
 * Runs the benchmarks. `npm run bench -w bench` runs all; `npm run bench -w bench -- engine`
 * runs only the named ones. Each benchmark lives in its own file and registers here.
 */
import { argv } from 'node:process';
import { runAnalyticsBench } from './analytics-bench.js';
import { runDurabilityBench } from './durability-bench.js';
import { runEdgeBench } from './edge-bench.js';
import { runEdgeCostBench } from './edge-cost-bench.js';
import { runEngineBench } from './engine-bench.js';
import { runImpactBench } from './impact-bench.js';
import { runScaleBench } from './scale-bench.js';

const BENCHMARKS: ReadonlyArray<{ name: string; run: () => void | Promise<void> }> = [
  { name: 'engine', run: runEngineBench },
  { name: 'analytics', run: runAnalyticsBench },
  { name: 'edge', run: runEdgeBench },
  { name: 'impact', run: runImpactBench },
  { name: 'durability', run: runDurabilityBench },
  { name: 'edge-cost', run: runEdgeCostBench },
  { name: 'scale', run: runScaleBench },
];

const wanted = argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  process.exitCode = 2;
} else {
  for (const b of BENCHMARKS) {
    if (wanted.length === 0 || wanted.includes(b.name)) await b.run();
  }
}
