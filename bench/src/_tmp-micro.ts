import { buildSnapshot, type VisitorContext, type RuleCombination } from '@tailor/engine';
import { CATALOG, makeVisitors } from './engine-fixtures.js';
const visitors = makeVisitors(1000);
const trivial = Array.from({ length: 200 }, () => ({ __type: 'RuleCombination', combinationType: 'AND', rules: [{ __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: 'c00000000000000000000000' }, attributeMatchCondition: 'IS_TRUE', invertCondition: false }] }) as RuleCombination);
const s2 = buildSnapshot({ attributeCatalog: CATALOG, audiences: trivial.map((definition, i) => ({ uid: `aud${i}`, definition })), experiences: [] });
const sn = s2 as unknown as { program: { run: (a: number, v: VisitorContext) => boolean }; begin: () => void; member: (i: number, v: VisitorContext) => boolean };
let sink = 0;
for (let rep = 0; rep < 5; rep++) {
  let t0 = performance.now();
  for (let k = 0; k < 100000; k++) { const v = visitors[k % 1000] as VisitorContext; sn.begin(); for (let a = 0; a < 150; a++) if (sn.program.run(a, v)) sink++; }
  const run = ((performance.now() - t0) * 1e6) / 100000 / 150;
  t0 = performance.now();
  for (let k = 0; k < 100000; k++) { const v = visitors[k % 1000] as VisitorContext; sn.begin(); for (let a = 0; a < 150; a++) if (sn.member(a, v)) sink++; }
  const mem = ((performance.now() - t0) * 1e6) / 100000 / 150;
  console.log(`run ${run.toFixed(1)} ns, member ${mem.toFixed(1)} ns per trivial audience`);
}
console.log(sink > 0);
