import type { RuleCombination } from '@tailor/engine';

/**
 * What a project's decisions are built from, as the attributes, audiences and experiences modules
 * read it. A port: `services.ts` wires the real reads, unit tests pass in-memory data.
 */
export interface DecisionInputs {
  customAttributes: ReadonlyArray<{ uid: string; key: string; name?: string }>;
  audiences: ReadonlyArray<{ uid: string; definition: RuleCombination }>;
  /** In priority order, highest first. */
  experiences: ReadonlyArray<DecisionExperienceInput>;
}

export interface DecisionExperienceInput {
  uid: string;
  shortUid: string;
  type: 'SEGMENTED' | 'AB_TEST';
  tags: readonly string[];
  /** The ACTIVE version, or null when the experience has none (draft-only, paused, archived). */
  active: null | {
    versionUid: string;
    /** Hash salt; absent means assignments stay the same across versions (ADR 0045). */
    salt?: string;
    variants: ReadonlyArray<{
      shortUid: string;
      audiences?: readonly string[];
      audienceCombinationType?: 'AND' | 'OR';
      trafficDistribution?: number;
      payload?: unknown;
    }>;
    targeting?: null | { audiences: readonly string[]; audienceCombinationType: 'AND' | 'OR' };
    trafficAllocation?: number;
  };
}

/** Reads a project's decision inputs, by part so a change reloads only what it touched. */
export interface DecisionSource {
  customAttributes(projectUid: string): Promise<DecisionInputs['customAttributes']>;
  /** All audiences, or only the given ones (missing uids are left out). */
  audiences(projectUid: string, uids?: readonly string[]): Promise<DecisionInputs['audiences']>;
  experiences(projectUid: string): Promise<DecisionInputs['experiences']>;
}

export async function loadAllInputs(source: DecisionSource, projectUid: string): Promise<DecisionInputs> {
  const [customAttributes, audiences, experiences] = await Promise.all([
    source.customAttributes(projectUid),
    source.audiences(projectUid),
    source.experiences(projectUid),
  ]);
  return { customAttributes, audiences, experiences };
}
