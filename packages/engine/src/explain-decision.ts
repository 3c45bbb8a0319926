import { decisionWork } from './decision-work.js';
import { decideOne, hashScratch, passesTags, tagFilter, type CompiledAudience, type CompiledExperience, type DecisionSnapshot } from './decide.js';
import type { VisitorContext } from './types.js';

/** Why one experience got its variant. */
export interface DecisionExplanation {
  shortUid: string;
  /** False when the tag filter left the experience out of the manifest. */
  included: boolean;
  activeVariantShortUid: string | null;
  /** The decision steps, in order, in words. */
  steps: string[];
  /** Uids of the audiences evaluated for this experience and whether the visitor is a member. */
  audiences: Array<{ uid: string; member: boolean }>;
}

type Decided = { e: CompiledExperience; included: boolean; k: number; steps: string[] };

/** decideInto()'s steps, within the same work budget, so that an explanation never disagrees with the manifest (ADR 0080). */
function decideTraced(snapshot: DecisionSnapshot, visitorUid: string, visitor: VisitorContext, options?: { tags?: readonly string[] }): Decided[] {
  const filter = tagFilter(options?.tags);
  const hash = hashScratch(visitorUid);
  decisionWork.begin();
  try {
    return snapshot.experiences.map((e) => {
      if (!passesTags(e, filter)) return { e, included: false, k: -1, steps: ['left out by the tag filter'] };
      const steps: string[] = [];
      const spentBefore = decisionWork.exhausted;
      const k = decideOne(snapshot, e, visitor, hash, steps);
      if (spentBefore) steps.push('the work budget of the decision was spent before this experience: its rules did not match');
      else if (decisionWork.exhausted) steps.push('the work budget of the decision ran out here: rules evaluated from here on did not match');
      return { e, included: true, k, steps };
    });
  } finally {
    decisionWork.end();
  }
}

/** decide() with the reasons, for the impact preview and the console's visitor debugger. */
export function explainDecision(
  snapshot: DecisionSnapshot,
  visitorUid: string,
  visitor: VisitorContext,
  options?: { tags?: readonly string[] },
): DecisionExplanation[] {
  snapshot.begin();
  // Memberships are listed after the decision: audiences it did not need are evaluated outside its budget.
  return decideTraced(snapshot, visitorUid, visitor, options).map(({ e, included, k, steps }) => {
    if (!included) return { shortUid: e.shortUid, included: false, activeVariantShortUid: null, steps, audiences: [] };
    const variant = k < 0 ? null : (e.outcomes[k] as string);
    const used = new Set<number>();
    if (e.kind === 'segmented') for (const v of e.variants) for (const i of v.set.authored) used.add(i);
    if (e.kind === 'ab' && e.target !== null) for (const i of e.target.authored) used.add(i);
    const audiences = [...used].filter((i) => i >= 0).map((i) => ({ uid: (snapshot.audiences[i] as CompiledAudience).uid, member: snapshot.member(i, visitor) }));
    return { shortUid: e.shortUid, included: true, activeVariantShortUid: variant, steps, audiences };
  });
}
