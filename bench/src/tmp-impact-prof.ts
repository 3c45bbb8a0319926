import { buildSnapshot, compileDefinition, decide, type RuleCombination, type SnapshotExperience } from '@tailor/engine';
import { prng } from './stats.js';
const r = prng(3);
const WORDS = ['gold', 'silver', 'bronze', 'premium', 'basic', 'trial', 'paris', 'tokyo', 'sydney', 'lima'];
const attrs = Array.from({ length: 20 }, (_, i) => ({ uid: `a${String(i).padStart(23, '0')}`, key: i < 10 ? `s${i}` : `n${i}` }));
const catalog = { customAttributes: new Map(attrs.map((a) => [a.uid, { key: a.key }])) };
const rule = () => { const i = Math.floor(r() * 20); const ref = { __type: 'CustomAttributeReference', ref: attrs[i]!.uid } as const;
  return i < 10 ? { __type: 'Rule', attribute: ref, attributeMatchCondition: 'STRING_EQUALS', attributeMatchOptions: { __type: 'StringMatchOptions', value: WORDS[Math.floor(r() * 10)] }, invertCondition: r() < 0.15 }
  : { __type: 'Rule', attribute: ref, attributeMatchCondition: 'NUMBER_GREATER_THAN', attributeMatchOptions: { __type: 'NumberMatchOptions', value: Math.floor(r() * 100) }, invertCondition: r() < 0.15 }; };
const def = () => ({ __type: 'RuleCombination', combinationType: r() < 0.5 ? 'AND' : 'OR', rules: Array.from({ length: 3 + Math.floor(r() * 6) }, rule) }) as unknown as RuleCombination;
const audiences = Array.from({ length: 80 }, (_, i) => ({ uid: `aud${i}`, definition: def() }));
audiences.push({ uid: 'target', definition: def() });
const experiences: SnapshotExperience[] = Array.from({ length: 26 }, (_, i) => ({ uid: `e${i}`, shortUid: `e${i}`, type: i % 2 ? 'AB_TEST' : 'SEGMENTED', tags: [], active: i % 2
  ? { versionUid: 'v', salt: 'tailor', variants: [{ shortUid: '0', trafficDistribution: 50 }, { shortUid: '1', trafficDistribution: 50 }], targeting: { audiences: ['target'], audienceCombinationType: 'OR' } }
  : { versionUid: 'v', salt: 'tailor', variants: [{ shortUid: '0', audiences: ['target'], audienceCombinationType: 'OR' }, { shortUid: '1', audiences: [`aud${i}`, `aud${i + 30}`], audienceCombinationType: 'OR' }] } }));
const snap = buildSnapshot({ attributeCatalog: catalog, audiences, experiences });
const visitors = Array.from({ length: 50_000 }, (_, k) => { const a: Record<string, string | number> = {}; for (let i = 0; i < 20; i++) a[attrs[i]!.key] = i < 10 ? WORDS[Math.floor(r() * 10)]! : Math.floor(r() * 100); return { uid: `v${k}`, ctx: { attributes: a, presets: { COUNTRY: 'US' }, now: Date.now() } }; });
const m = compileDefinition(audiences[80]!.definition, catalog);
let t = performance.now(); let n = 0; for (const v of visitors) if (m(v.ctx)) n++; console.log('matcher 50k', (performance.now() - t).toFixed(1), 'ms', n);
t = performance.now(); for (let k = 0; k < 6400; k++) decide(snap, visitors[k]!.uid, visitors[k]!.ctx); console.log('decide 6400 x 26', (performance.now() - t).toFixed(1), 'ms');
t = performance.now(); for (let k = 0; k < 6400; k++) decide(snap, visitors[k]!.uid, visitors[k]!.ctx); console.log('decide 6400 x 26 again', (performance.now() - t).toFixed(1), 'ms');
