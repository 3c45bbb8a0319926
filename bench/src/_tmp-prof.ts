import { buildSnapshot, decide, type VisitorContext } from '@tailor/engine';
import { CATALOG, makeAudiences, makeVisitors } from './engine-fixtures.js';
import type { RuleCombination, SnapshotExperience } from "@tailor/engine";
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
const snapshot = buildSnapshot({ attributeCatalog: CATALOG, audiences: defs.map((definition, i) => ({ uid: `aud${i}`, definition })), experiences: experiences(defs) });
const uids = Array.from({ length: 20_000 }, (_, i) => `visitor-${i}-${(i * 2654435761) >>> 0}`);
let sink = 0;
const t = performance.now();
for (let r = 0; r < 40; r++) { const s = (r * 5000) % 100000; for (let k = 0; k < 5000; k++) sink += decide(snapshot, uids[k] as string, visitors[(s + k) % 100000] as VisitorContext).experiences.length; }
console.log('ns/visitor', ((performance.now() - t) * 1e6) / 200000, sink);
{
  const sn = snapshot as unknown as { program: { run: (a: number, v: VisitorContext) => boolean }; slots: { begin: () => void }; begin: () => void; experiences: Array<{ variants?: Array<{ set?: { idx: Int32Array } }>; target?: { idx: Int32Array } | null }> };
  const ref = new Set<number>();
  for (const e of sn.experiences) { for (const v of e.variants ?? []) for (const i of v.set?.idx ?? []) ref.add(i); for (const i of e.target?.idx ?? []) ref.add(i); }
  const list = [...ref].filter((i) => i >= 0);
  for (let rep = 0; rep < 3; rep++) {
  let t0 = performance.now();
  for (let r = 0; r < 10; r++) { const s = (r * 5000) % 100000; for (let k = 0; k < 5000; k++) { const v = visitors[(s + k) % 100000] as VisitorContext; sn.begin(); for (const a of list) if (sn.program.run(a, v)) sink++; } }
  const allRun = ((performance.now() - t0) * 1e6) / 50000;
  t0 = performance.now();
  for (let r = 0; r < 10; r++) { const s = (r * 5000) % 100000; for (let k = 0; k < 5000; k++) sink += decide(snapshot, uids[k] as string, visitors[(s + k) % 100000] as VisitorContext).experiences.length; }
  const dec = ((performance.now() - t0) * 1e6) / 50000;
  console.log(`run all ${list.length} referenced audiences: ${allRun.toFixed(0)} ns; decide: ${dec.toFixed(0)} ns`);
  }
}
{
  const trivial = defs.map(() => ({ __type: 'RuleCombination', combinationType: 'AND', rules: [{ __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: 'c00000000000000000000000' }, attributeMatchCondition: 'IS_TRUE', invertCondition: false }] }) as RuleCombination);
  const s2 = buildSnapshot({ attributeCatalog: CATALOG, audiences: trivial.map((definition, i) => ({ uid: `aud${i}`, definition })), experiences: experiences(defs) });
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    for (let r = 0; r < 10; r++) { const s = (r * 5000) % 100000; for (let k = 0; k < 5000; k++) sink += decide(s2, uids[k] as string, visitors[(s + k) % 100000] as VisitorContext).experiences.length; }
    console.log('decide with trivial audiences', (((performance.now() - t0) * 1e6) / 50000).toFixed(0));
  }
}
{
  for (let rep = 0; rep < 3; rep++) {
    let t0 = performance.now();
    for (let r = 0; r < 10; r++) { for (let k = 0; k < 5000; k++) sink += decide(snapshot, uids[k] as string, visitors[k % 64] as VisitorContext).experiences.length; }
    const hot = ((performance.now() - t0) * 1e6) / 50000;
    t0 = performance.now();
    for (let r = 0; r < 10; r++) { const s = (r * 5000) % 100000; for (let k = 0; k < 5000; k++) sink += decide(snapshot, uids[k] as string, visitors[(s + k) % 100000] as VisitorContext).experiences.length; }
    const cold = ((performance.now() - t0) * 1e6) / 50000;
    console.log(`decide 64 cache-hot visitors: ${hot.toFixed(0)} ns; 100k visitors: ${cold.toFixed(0)} ns`);
  }
}
{
  const sn = snapshot as unknown as { program: { run: (a: number, v: VisitorContext) => boolean }; begin: () => void };
  for (let rep = 0; rep < 3; rep++) {
    let t0 = performance.now();
    for (let k = 0; k < 20000; k++) { const v = visitors[k % 1000] as VisitorContext; sn.begin(); for (let a = 0; a < 500; a++) if (sn.program.run(a, v)) sink++; }
    const fresh = ((performance.now() - t0) * 1e6) / 20000 / 500;
    t0 = performance.now();
    for (let k = 0; k < 20000; k++) { const v = visitors[Math.floor(k / 20) % 1000] as VisitorContext; if (k % 20 === 0) sn.begin(); for (let a = 0; a < 500; a++) if (sn.program.run(a, v)) sink++; }
    const warm = ((performance.now() - t0) * 1e6) / 20000 / 500;
    console.log(`per audience: begin per visitor ${fresh.toFixed(1)} ns; slots already prepared ${warm.toFixed(1)} ns`);
  }
}
{
  const sn = snapshot as unknown as { program: { run: (a: number, v: VisitorContext) => boolean }; begin: () => void };
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    for (let k = 0; k < 20000; k++) { const v = visitors[Math.floor(k / 20) % 1000] as VisitorContext; sn.begin(); for (let a = 0; a < 500; a++) if (sn.program.run(a, v)) sink++; }
    const same = ((performance.now() - t0) * 1e6) / 20000 / 500;
    console.log(`per audience: same visitor 20x, begin every time ${same.toFixed(1)} ns`);
  }
}
