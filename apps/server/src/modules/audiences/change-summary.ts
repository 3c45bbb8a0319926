import type { Rule, RuleCombination } from '@tailor/engine';
import type { ChangeSummary } from './audience.js';

interface AudienceState {
  name: string;
  description: string;
  definition: RuleCombination;
}

interface Leaf {
  path: string;
  rule: Rule;
  /** Canonical form (sorted keys: PostgreSQL jsonb does not keep key order). */
  key: string;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function leaves(group: RuleCombination, base: string, out: Leaf[] = []): Leaf[] {
  group.rules.forEach((node, i) => {
    const path = `${base}.rules[${i}]`;
    if (node.__type === 'RuleCombination') leaves(node, path, out);
    else out.push({ path, rule: node, key: canonical(node) });
  });
  return out;
}

function groups(group: RuleCombination, path: string, out = new Map<string, string>()): Map<string, string> {
  out.set(path, group.combinationType);
  group.rules.forEach((node, i) => {
    if (node.__type === 'RuleCombination') groups(node, `${path}.rules[${i}]`, out);
  });
  return out;
}

/**
 * What changed between two states of an audience. Rules are matched by content first (so moving
 * or inserting a rule does not report its neighbours as changed), then by position: a rule at
 * the same path with different content is "changed", the rest "added" or "removed".
 * `before` null means the audience was created.
 */
export function summarizeChange(before: AudienceState | null, after: AudienceState): ChangeSummary {
  const summary: ChangeSummary = { rules: { added: [], removed: [], changed: [] } };
  if (!before || before.name !== after.name) summary.name = { from: before?.name ?? null, to: after.name };
  if (!before || before.description !== after.description) summary.description = { from: before?.description ?? null, to: after.description };

  const oldLeaves = before ? leaves(before.definition, 'definition') : [];
  const newLeaves = leaves(after.definition, 'definition');
  const oldLeft = new Set(oldLeaves);
  const newLeft: Leaf[] = [];
  // 1. Same content at the same path, 2. same content elsewhere (moved): unchanged.
  for (const leaf of newLeaves) {
    const same = oldLeaves.find((o) => oldLeft.has(o) && o.key === leaf.key && o.path === leaf.path);
    if (same) oldLeft.delete(same);
    else newLeft.push(leaf);
  }
  const unmatched: Leaf[] = [];
  for (const leaf of newLeft) {
    const moved = oldLeaves.find((o) => oldLeft.has(o) && o.key === leaf.key);
    if (moved) oldLeft.delete(moved);
    else unmatched.push(leaf);
  }
  // 3. Different content at the same path: changed. 4. The rest: added / removed.
  for (const leaf of unmatched) {
    const atPath = oldLeaves.find((o) => oldLeft.has(o) && o.path === leaf.path);
    if (atPath) {
      oldLeft.delete(atPath);
      summary.rules.changed.push({ path: leaf.path, from: atPath.rule, to: leaf.rule });
    } else {
      summary.rules.added.push({ path: leaf.path, rule: leaf.rule });
    }
  }
  for (const leaf of oldLeaves) if (oldLeft.has(leaf)) summary.rules.removed.push({ path: leaf.path, rule: leaf.rule });

  if (before) {
    const oldGroups = groups(before.definition, 'definition');
    for (const [path, type] of groups(after.definition, 'definition')) {
      const was = oldGroups.get(path);
      if (was !== undefined && was !== type) summary.rules.changed.push({ path: `${path}.combinationType`, from: was, to: type });
    }
  }
  return summary;
}
