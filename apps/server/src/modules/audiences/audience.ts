import type { Rule, RuleCombination } from '@tailor/engine';
import type { ResourceMeta } from '../resources/index.js';

export interface Audience extends ResourceMeta {
  uid: string;
  projectUid: string;
  name: string;
  description: string;
  /** Normalized by the engine before it is stored, so it round-trips unchanged. */
  definition: RuleCombination;
}

export type RevisionAction = 'created' | 'updated' | 'restored';

/** What one revision changed (ADR 0021). Paths start at `definition`, as in validation errors. */
export interface ChangeSummary {
  name?: { from: string | null; to: string | null };
  description?: { from: string | null; to: string | null };
  rules: {
    added: Array<{ path: string; rule: Rule }>;
    removed: Array<{ path: string; rule: Rule }>;
    /** A rule (from/to are rules) or a group's `.combinationType` (from/to are "AND"/"OR"). */
    changed: Array<{ path: string; from: Rule | string; to: Rule | string }>;
  };
  restoredFrom?: number;
  /** The impact preview's headline figures the user saw before this save, as the client sent them (ADR 0071). */
  impact?: ImpactFigures;
}

export interface ImpactFigures {
  sampleSize: number;
  joined: number;
  left: number;
  visitorsChangingVariant: number;
}

/** One kept state of an audience: number n is the state at version n. */
export interface AudienceRevision {
  audienceUid: string;
  projectUid: string;
  number: number;
  action: RevisionAction;
  restoredFrom: number | null;
  name: string;
  description: string;
  definition: RuleCombination;
  summary: ChangeSummary;
  createdAt: string;
  createdBy: string;
  createdByUserName: string;
}

/** Every attribute reference in a definition with its path (custom uid or preset name as `ref`). */
export function attributeUsages(definition: RuleCombination, base = 'definition'): Array<{ ref: string; path: string }> {
  const out: Array<{ ref: string; path: string }> = [];
  definition.rules.forEach((node, i) => {
    const path = `${base}.rules[${i}]`;
    if (node.__type === 'RuleCombination') out.push(...attributeUsages(node, path));
    else out.push({ ref: node.attribute.ref, path: `${path}.attribute` });
  });
  return out;
}
