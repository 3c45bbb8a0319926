import { useCallback, useDeferredValue, useMemo, useReducer, useState } from 'react';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_RULES, validateDefinition, type AttributeCatalog, type ValidationIssue } from '@tailor/engine';
import {
  findNode,
  nodeIdForPath,
  ruleBuilderReducer,
  ruleNumbers,
  toDefinition,
  type DraftGroup,
  type PathIndex,
  type RuleBuilderAction,
} from './rule-builder-state';

/** An engine or server message in the console's words: sentence case, and "select …" for blanks. */
export function friendlyIssue(issue: Pick<ValidationIssue, 'code' | 'message' | 'path'>): string {
  if (issue.code === 'INVALID_ATTRIBUTE' && issue.message.endsWith('received null')) return 'Select an attribute';
  if (issue.code === 'UNKNOWN_CONDITION' && issue.message.endsWith('received null')) return 'Select an operator';
  if (issue.code === 'EMPTY_GROUP') return 'Add a rule to this group, or delete the group';
  const m = issue.message;
  return m.charAt(0).toUpperCase() + m.slice(1);
}

export interface RuleBuilderModel {
  root: DraftGroup;
  dispatch: (action: RuleBuilderAction) => void;
  /** The JSON that Save sends (as typed; the server validates it too). */
  definition: unknown;
  paths: PathIndex;
  issues: ValidationIssue[];
  valid: boolean;
  /** Client id → first message, for the rows. */
  errors: Map<string, string>;
  numbers: Map<string, number>;
  groupNumbers: Map<string, number>;
  /** Shows problems on untouched blank rows too (after a save attempt). */
  revealAll: () => void;
  /** Server 400 paths (`definition.rules[0]…`) → the rows they point at. */
  setServerErrors: (fieldErrors: Record<string, string[]>) => string[];
}

function groupNumbering(root: DraftGroup): Map<string, number> {
  const numbers = new Map<string, number>();
  const walk = (g: DraftGroup) => {
    for (const c of g.children) {
      if (c.kind === 'group') {
        numbers.set(c.id, numbers.size + 1);
        walk(c);
      }
    }
  };
  numbers.set(root.id, 1);
  walk(root);
  return numbers;
}

function sameEntries<V>(a: Map<string, V>, b: Map<string, V>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/**
 * Keeps the previous Map while its entries are unchanged. Typing in a value re-derives numbering
 * and errors, but they rarely change: an identical Map keeps every group shell from re-rendering.
 */
function useStableMap<V>(next: Map<string, V>): Map<string, V> {
  const [stable, setStable] = useState(next);
  if (stable === next || sameEntries(stable, next)) return stable;
  // Derived state: React re-renders at once with the new Map, only when the entries differ.
  setStable(next);
  return next;
}

/**
 * Reducer + live engine validation. Validation runs on a deferred copy of the tree, so a keystroke
 * renders first and the (cheap, but O(rules)) check follows when the browser is idle.
 */
export function useRuleBuilder(initial: () => DraftGroup, catalog: AttributeCatalog, limits: { maxDepth?: number; maxRules?: number } = {}): RuleBuilderModel {
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxRules = limits.maxRules ?? DEFAULT_MAX_RULES;
  const [serverErrors, setServerErrorMap] = useState<Map<string, string>>(new Map());
  const [reveal, setReveal] = useState(false);
  const [root, rawDispatch] = useReducer((state: DraftGroup, action: RuleBuilderAction) => ruleBuilderReducer(state, action, maxDepth), undefined, initial);

  const dispatch = useCallback((action: RuleBuilderAction) => {
    rawDispatch(action);
    // The server judged a tree that no longer exists.
    setServerErrorMap((m) => (m.size === 0 ? m : new Map()));
    if (action.type === 'replace') setReveal(false);
  }, []);

  const deferred = useDeferredValue(root);
  const { definition, paths } = useMemo(() => toDefinition(root), [root]);
  const deferredJson = useMemo(() => toDefinition(deferred), [deferred]);
  const issues = useMemo(() => {
    const result = validateDefinition(deferredJson.definition, catalog, { maxDepth, maxRules });
    return result.ok ? [] : result.issues;
  }, [deferredJson, catalog, maxDepth, maxRules]);

  const freshErrors = useMemo(() => {
    const map = new Map<string, string>();
    for (const issue of issues) {
      const id = nodeIdForPath(deferredJson.paths, issue.path);
      if (id === undefined || map.has(id)) continue;
      const node = findNode(deferred, id);
      // A blank row the user has not touched yet is not an error until they try to save.
      if (!reveal && node?.kind === 'rule' && node.attribute === null) continue;
      map.set(id, friendlyIssue(issue));
    }
    for (const [id, message] of serverErrors) if (!map.has(id)) map.set(id, message);
    return map;
  }, [issues, deferredJson, deferred, reveal, serverErrors]);

  const errors = useStableMap(freshErrors);
  const numbers = useStableMap(useMemo(() => ruleNumbers(root), [root]));
  const groupNumbers = useStableMap(useMemo(() => groupNumbering(root), [root]));

  const setServerErrors = useCallback(
    (fieldErrors: Record<string, string[]>) => {
      const map = new Map<string, string>();
      const unplaced: string[] = [];
      for (const [path, messages] of Object.entries(fieldErrors)) {
        if (!path.startsWith('definition')) continue;
        const id = nodeIdForPath(paths, path);
        const message = friendlyIssue({ code: '', path, message: messages[0] ?? 'Invalid' });
        if (id === undefined) unplaced.push(message);
        else if (!map.has(id)) map.set(id, message);
      }
      setServerErrorMap(map);
      return unplaced;
    },
    [paths],
  );

  const revealAll = useCallback(() => setReveal(true), []);

  return {
    root,
    dispatch,
    definition,
    paths,
    issues,
    valid: issues.length === 0 && deferred === root,
    errors,
    numbers,
    groupNumbers,
    revealAll,
    setServerErrors,
  };
}
