import { buildSnapshot, decide, type VisitorContext, type RuleCombination, type SnapshotExperience } from '@tailor/engine';
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
const uids = Array.from({ length: 20_000 }, (_, i) => `visitor-${i}-${(i * 2654435761) >>> 0}`);
let sink = 0;
  const trivial = defs.map(() => ({ __type: 'RuleCombination', combinationType: 'AND', rules: [{ __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: 'c00000000000000000000000' }, attributeMatchCondition: 'IS_TRUE', invertCondition: false }] }) as RuleCombination);
  const s2 = buildSnapshot({ attributeCatalog: CATALOG, audiences: trivial.map((definition, i) => ({ uid: `aud${i}`, definition })), experiences: experiences(defs) });
  for (let rep = 0; rep < 10; rep++) {
    const t0 = performance.now();
    for (let r = 0; r < 10; r++) { const s = (r * 5000) % 100000; for (let k = 0; k < 5000; k++) sink += decide(s2, uids[k] as string, visitors[(s + k) % 100000] as VisitorContext).experiences.length; }
    console.log('decide with trivial audiences', (((performance.now() - t0) * 1e6) / 50000).toFixed(0));
  }
