import { SnapshotProgram } from '../../packages/engine/dist/program.js';
const P = SnapshotProgram.prototype as unknown as { run: (a: number, v: unknown) => boolean };
const orig = P.run;
let runs = 0, ops = 0;
P.run = function (this: { ends: number[]; starts: number[] }, a: number, v: unknown) { runs++; ops += (this.ends[a]! - this.starts[a]!) / 4; return orig.call(this, a, v); };
const { buildSnapshot, decide } = await import('../../packages/engine/dist/index.js');
const { CATALOG, makeAudiences, makeVisitors } = await import('./engine-fixtures.js');
const src = await import('fs');
void src;
import { prng } from './stats.js';
function experiences(defs: readonly any[]): any[] {
  const r = prng(7);
  const aud = (): string => `aud${Math.floor(r() * defs.length)}`;
  return Array.from({ length: 100 }, (_, i): any => {
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
const visitors = makeVisitors(2000);
const snapshot = buildSnapshot({ attributeCatalog: CATALOG, audiences: defs.map((definition: any, i: number) => ({ uid: `aud${i}`, definition })), experiences: experiences(defs) });
for (let k = 0; k < 2000; k++) decide(snapshot, 'u' + k, visitors[k]);
console.log('audiences run per decide', runs / 2000, 'max instrs per decide', ops / 2000);
