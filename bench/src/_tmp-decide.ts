import { buildSnapshot, compileDefinition, decide, type Matcher, type SnapshotExperience, type VisitorContext, type RuleCombination } from '@tailor/engine';
import * as O from './_orig/index.js';
import { CATALOG, makeAudiences, makeVisitors } from './engine-fixtures.js';
import { prng } from './stats.js';
function experiences(defs: readonly RuleCombination[]): SnapshotExperience[] {
  const r = prng(7);
  const aud = (): string => `aud${Math.floor(r() * defs.length)}`;
  return Array.from({ length: 100 }, (_, i): SnapshotExperience => {
    const ab = i % 3 === 2;
    const shortUid = i.toString(36);
    if (ab) {
      return { uid: `exp${i}`, shortUid, type: 'AB_TEST', tags: [], active: { versionUid: `v${i}`, salt: `salt${i}`,
          variants: [{ shortUid: '0', trafficDistribution: 50 }, { shortUid: '1', trafficDistribution: 50 }],
          targeting: i % 2 === 0 ? { audiences: [aud(), aud()], audienceCombinationType: 'OR' } : null,
          trafficAllocation: i % 4 === 0 ? 50 : 100 } };
    }
    const variants = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, k) => ({
      shortUid: String(k), audiences: Array.from({ length: 1 + Math.floor(r() * 2) }, aud),
      audienceCombinationType: r() < 0.5 ? ('AND' as const) : ('OR' as const) }));
    return { uid: `exp${i}`, shortUid, type: 'SEGMENTED', tags: [], active: { versionUid: `v${i}`, salt: `salt${i}`, variants } };
  });
}
const defs = makeAudiences(500);
const visitors = makeVisitors(100_000);
const matchers = defs.map((d) => compileDefinition(d, CATALOG));
const snapshot = buildSnapshot({ attributeCatalog: CATALOG, audiences: defs.map((definition, i) => ({ uid: `aud${i}`, definition })), experiences: experiences(defs) });
const uids = Array.from({ length: 20_000 }, (_, i) => `visitor-${i}-${(i * 2654435761) >>> 0}`);
let sink = 0;
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const osnap = O.buildSnapshot({ attributeCatalog: CATALOG, audiences: defs.map((definition, i) => ({ uid: `aud${i}`, definition })), experiences: experiences(defs) });
const omatchers = defs.map((d) => O.compileDefinition(d, CATALOG));
for (let k = 0; k < 20000; k++) { const a = JSON.stringify(decide(snapshot, uids[k] as string, visitors[k] as VisitorContext)); const b = JSON.stringify(O.decide(osnap, uids[k] as string, visitors[k] as VisitorContext)); if (a !== b) throw new Error('decide differs at ' + k); }
for (let k = 0; k < 3000; k++) for (let m = 0; m < 500; m++) if (matchers[m]!(visitors[k]!) !== omatchers[m]!(visitors[k]!)) throw new Error('matcher differs');
const R: Record<string, number[]> = { newDecide: [], oldDecide: [], newMatch: [], oldMatch: [] };
for (let r = 0; r < ROUNDS; r++) {
  const s = (r * 5000) % 100000;
  const order = r % 2 === 0 ? ['new', 'old'] : ['old', 'new'];
  for (const w of order) {
    const snap = w === 'new' ? snapshot : osnap; const dec = w === 'new' ? decide : O.decide;
    let t = performance.now();
    for (let k = 0; k < 5000; k++) sink += dec(snap as never, uids[k] as string, visitors[(s + k) % 100000] as VisitorContext).experiences.length;
    R[w + 'Decide']!.push(((performance.now() - t) * 1e6) / 5000);
    const ms = w === 'new' ? matchers : omatchers;
    t = performance.now();
    for (let k = 0; k < 1000; k++) { const v = visitors[(s + k) % 100000] as VisitorContext; for (const m of ms) if ((m as Matcher)(v)) sink++; }
    R[w + 'Match']!.push(((performance.now() - t) * 1e6) / 500000);
  }
}
const st = (a: number[]) => { const b = [...a].sort((x, y) => x - y); return `min ${b[0]!.toFixed(0)} med ${b[b.length >> 1]!.toFixed(0)} max ${b[b.length - 1]!.toFixed(0)}`; };
for (const [k, v] of Object.entries(R)) console.log(k.padEnd(10), st(v));
if (sink === -1) console.log('x');
