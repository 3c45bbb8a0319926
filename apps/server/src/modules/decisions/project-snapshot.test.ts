import { decide, type VisitorContext } from '@tailor/engine';
import { describe, expect, it } from 'vitest';
import type { DecisionInputs } from './decision-inputs.js';
import { compileProjectSnapshot, type ProjectSnapshot } from './project-snapshot.js';
import { equalsRule } from '../edge/edge-test-seed.js';

const PLAN = '000000000000000000000001';

const planIs = (value: string) => equalsRule(PLAN, value);

const segmented = (uid: string, audience: string, payload: unknown): DecisionInputs['experiences'][number] => ({
  uid,
  shortUid: uid,
  type: 'SEGMENTED',
  tags: [],
  active: { versionUid: `${uid}-v1`, variants: [{ shortUid: '0', audiences: [audience], payload }] },
});

const INPUTS: DecisionInputs = {
  customAttributes: [{ uid: PLAN, key: 'plan' }],
  audiences: [
    { uid: 'gold', definition: planIs('gold') },
    { uid: 'silver', definition: planIs('silver') },
  ],
  experiences: [segmented('a', 'gold', { hero: 'gold' }), segmented('b', 'silver', { hero: 'silver' })],
};

const visitors: VisitorContext[] = ['gold', 'silver', 'bronze'].flatMap((plan) => [
  { attributes: { plan }, presets: {}, now: 0 },
  { attributes: { tier: plan }, presets: {}, now: 0 },
]);

function expectSameDecisions(derived: ProjectSnapshot, inputs: DecisionInputs): void {
  const fresh = compileProjectSnapshot(derived.projectUid, derived.revision, inputs);
  for (const v of visitors) expect(decide(derived.engine, 'visitor', v)).toEqual(decide(fresh.engine, 'visitor', v));
}

describe('compileProjectSnapshot from a previous snapshot', () => {
  it('after an audience patch, decides as a fresh compile and keeps what the patch did not reload', () => {
    const before = compileProjectSnapshot('p', 1, INPUTS);
    const patched: DecisionInputs = { ...INPUTS, audiences: [INPUTS.audiences[1] as DecisionInputs['audiences'][number], { uid: 'gold', definition: planIs('bronze') }] };
    const after = compileProjectSnapshot('p', 2, patched, before);
    expectSameDecisions(after, patched);
    expect(decide(after.engine, 'visitor', { attributes: { plan: 'bronze' }, presets: {}, now: 0 }).experiences[0]?.activeVariantShortUid).toBe('0');
    // The experience on the edited audience is compiled again, the other one is the same object.
    expect(after.engine.outline[0]).not.toBe(before.engine.outline[0]);
    expect(after.engine.outline[1]).toBe(before.engine.outline[1]);
    expect(after.experiences).toBe(before.experiences);
    expect(after.attributeKeys).toBe(before.attributeKeys);
  });

  it('reads reloaded experiences and attributes anew', () => {
    const before = compileProjectSnapshot('p', 1, INPUTS);
    const patched: DecisionInputs = {
      customAttributes: [{ uid: PLAN, key: 'tier' }],
      audiences: INPUTS.audiences,
      experiences: [segmented('b', 'silver', { hero: 'new silver' }), segmented('a', 'gold', { hero: 'gold' })],
    };
    const after = compileProjectSnapshot('p', 2, patched, before);
    expectSameDecisions(after, patched);
    expect(after.attributeKeys.get('tier')).toBe(PLAN);
    expect(after.attributeKeys.has('plan')).toBe(false);
    expect(after.experiences.get('b')?.variants.get('0')).toEqual({ hero: 'new silver' });
    expect(decide(after.engine, 'visitor', { attributes: { tier: 'silver' }, presets: {}, now: 0 }).experiences.map((e) => e.activeVariantShortUid)).toEqual(['0', null]);
  });
});
