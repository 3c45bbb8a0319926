import { decideOne, hashScratch, passesTags, tagFilter, type DecisionSnapshot } from './decide.js';
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

/** decide() with the reasons, for the impact preview and the console's visitor debugger. */
export function explainDecision(
  snapshot: DecisionSnapshot,
  visitorUid: string,
  visitor: VisitorContext,
  options?: { tags?: readonly string[] },
): DecisionExplanation[] {
  snapshot.begin();
  const filter = tagFilter(options?.tags);
  const hash = hashScratch(visitorUid);
  return snapshot.experiences.map((e) => {
    if (!passesTags(e, filter)) {
      return { shortUid: e.shortUid, included: false, activeVariantShortUid: null, steps: ['left out by the tag filter'], audiences: [] };
    }
    const steps: string[] = [];
    const k = decideOne(snapshot, e, visitor, hash, steps);
    const variant = k < 0 ? null : (e.outcomes[k] as string);
    const used = new Set<number>();
    if (e.kind === 'segmented') for (const v of e.variants) for (const i of v.set.authored) used.add(i);
    if (e.kind === 'ab' && e.target !== null) for (const i of e.target.authored) used.add(i);
    const audiences = [...used].filter((i) => i >= 0).map((i) => ({ uid: snapshot.audienceUids[i] as string, member: snapshot.member(i, visitor) }));
    return { shortUid: e.shortUid, included: true, activeVariantShortUid: variant, steps, audiences };
  });
}
