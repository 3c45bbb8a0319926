import {
  CONDITIONS,
  DEFAULT_MAX_DEPTH,
  conditionsForAttribute,
  isConditionAllowed,
  type CustomAttributeReference,
  type MatchCondition,
  type PresetAttributeReference,
  type Rule,
  type RuleCombination,
} from '@tailor/engine';

/**
 * The rule builder edits a tree of groups and rules with stable client ids (React keys, error
 * anchors) and converts to and from the API JSON. Rules may be incomplete while being typed:
 * the conversion emits them as they are, so the engine's validation names the offending row.
 */
export type AttributeRef = PresetAttributeReference | CustomAttributeReference;

/** Match options as typed: numbers may still be '' or text until the user finishes. */
export type DraftOptions = { __type: string } & Record<string, unknown>;

export interface DraftRule {
  kind: 'rule';
  id: string;
  attribute: AttributeRef | null;
  condition: MatchCondition | null;
  options: DraftOptions | undefined;
  invert: boolean;
}

export interface DraftGroup {
  kind: 'group';
  id: string;
  combinationType: 'AND' | 'OR';
  children: DraftNode[];
}

export type DraftNode = DraftRule | DraftGroup;

let counter = 0;
/** Client ids only need to be unique within a page session. */
export function newId(prefix: 'r' | 'g'): string {
  counter += 1;
  return `${prefix}${String(counter)}`;
}

export function emptyRule(): DraftRule {
  return { kind: 'rule', id: newId('r'), attribute: null, condition: null, options: undefined, invert: false };
}

export function emptyGroup(withRule = true): DraftGroup {
  return { kind: 'group', id: newId('g'), combinationType: 'AND', children: withRule ? [emptyRule()] : [] };
}

/** The options a condition starts with; keeps what the previous condition had when the shape is the same. */
export function defaultOptions(condition: MatchCondition, previous?: DraftOptions): DraftOptions | undefined {
  const meta = CONDITIONS[condition];
  if (meta.optionsType === null) return undefined;
  if (previous?.__type === meta.optionsType) return previous;
  switch (meta.options) {
    case 'string':
    case 'semver':
      return { __type: meta.optionsType, value: typeof previous?.value === 'string' ? previous.value : '' };
    case 'stringList':
      return { __type: meta.optionsType, values: [] };
    case 'number':
      return { __type: meta.optionsType, value: '' };
    case 'numberRange':
      return { __type: meta.optionsType, min: '', max: '' };
    case 'regex':
      return { __type: meta.optionsType, pattern: '' };
    case 'json':
      return { __type: meta.optionsType, key: '' };
    case 'dateTime':
      return { __type: meta.optionsType, value: '', timezone: browserTimeZone() };
    case 'dateTimeRange':
      return { __type: meta.optionsType, from: '', to: '', timezone: browserTimeZone() };
    default:
      return { __type: meta.optionsType };
  }
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

// ---- conversions ------------------------------------------------------------------------

export function fromDefinition(definition: RuleCombination | undefined | null): DraftGroup {
  if (!definition) return emptyGroup();
  return fromGroup(definition);
}

function fromGroup(group: RuleCombination): DraftGroup {
  return {
    kind: 'group',
    id: newId('g'),
    combinationType: group.combinationType === 'OR' ? 'OR' : 'AND',
    children: (group.rules ?? []).map((r) => (r.__type === 'RuleCombination' ? fromGroup(r) : fromRule(r))),
  };
}

function fromRule(rule: Rule): DraftRule {
  return {
    kind: 'rule',
    id: newId('r'),
    attribute: { ...rule.attribute },
    condition: rule.attributeMatchCondition,
    options: rule.attributeMatchOptions === undefined ? undefined : ({ ...rule.attributeMatchOptions } as DraftOptions),
    invert: rule.invertCondition === true,
  };
}

/** Paths of every node (as in engine issues: "rules[1].rules[0]", "" = root) → client id. */
export type PathIndex = Map<string, string>;

/** The API JSON for the tree, exactly as typed (for validation and saving) and its path index. */
export function toDefinition(root: DraftGroup): { definition: unknown; paths: PathIndex } {
  const paths: PathIndex = new Map();
  const definition = groupJson(root, '', paths);
  return { definition, paths };
}

function childPath(path: string, index: number): string {
  return path === '' ? `rules[${String(index)}]` : `${path}.rules[${String(index)}]`;
}

function groupJson(group: DraftGroup, path: string, paths: PathIndex): Record<string, unknown> {
  paths.set(path, group.id);
  return {
    __type: 'RuleCombination',
    combinationType: group.combinationType,
    rules: group.children.map((child, i) => {
      const p = childPath(path, i);
      return child.kind === 'group' ? groupJson(child, p, paths) : ruleJson(child, p, paths);
    }),
  };
}

function ruleJson(rule: DraftRule, path: string, paths: PathIndex): Record<string, unknown> {
  paths.set(path, rule.id);
  const json: Record<string, unknown> = {
    __type: 'Rule',
    attribute: rule.attribute ?? null,
    attributeMatchCondition: rule.condition ?? null,
    invertCondition: rule.invert,
  };
  if (rule.options !== undefined) json.attributeMatchOptions = coerceOptions(rule.options);
  return json;
}

/** Numeric text becomes a number; anything else is left for the engine to reject with a message. */
function coerceOptions(options: DraftOptions): DraftOptions {
  const out: DraftOptions = { ...options };
  if (options.__type === 'NumberMatchOptions' || options.__type === 'NumberRangeMatchOptions') {
    for (const key of ['value', 'min', 'max']) {
      const v = out[key];
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) out[key] = Number(v);
    }
  }
  return out;
}

/**
 * The client id of the row an error path points at: the deepest node whose path prefixes it.
 * Accepts server paths too ("definition.rules[0].attributeMatchOptions.value").
 */
export function nodeIdForPath(paths: PathIndex, rawPath: string): string | undefined {
  let path = rawPath.startsWith('definition.') ? rawPath.slice('definition.'.length) : rawPath === 'definition' ? '' : rawPath;
  for (;;) {
    const id = paths.get(path);
    if (id !== undefined) return id;
    if (path === '') return undefined;
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    path = cut <= 0 ? '' : path.slice(0, cut);
  }
}

// ---- queries ----------------------------------------------------------------------------

export function findNode(root: DraftGroup, id: string): DraftNode | undefined {
  if (root.id === id) return root;
  for (const child of root.children) {
    if (child.id === id) return child;
    if (child.kind === 'group') {
      const found = findNode(child, id);
      if (found) return found;
    }
  }
  return undefined;
}

/** Nesting level of a group; the root is level 1, as in the engine's `maxDepth`. */
export function depthOf(root: DraftGroup, id: string, level = 1): number | undefined {
  if (root.id === id) return level;
  for (const child of root.children) {
    if (child.kind === 'group') {
      const d = depthOf(child, id, level + 1);
      if (d !== undefined) return d;
    } else if (child.id === id) {
      return level;
    }
  }
  return undefined;
}

export function countDraftRules(node: DraftNode): number {
  return node.kind === 'rule' ? 1 : node.children.reduce((n, c) => n + countDraftRules(c), 0);
}

/** Rule numbers in reading order ("rule 3"), for labels and error messages. */
export function ruleNumbers(root: DraftGroup): Map<string, number> {
  const numbers = new Map<string, number>();
  const walk = (g: DraftGroup) => {
    for (const c of g.children) {
      if (c.kind === 'rule') numbers.set(c.id, numbers.size + 1);
      else walk(c);
    }
  };
  walk(root);
  return numbers;
}

// ---- reducer ----------------------------------------------------------------------------

export type RuleBuilderAction =
  | { type: 'replace'; root: DraftGroup }
  | { type: 'addRule'; groupId: string }
  | { type: 'addGroup'; groupId: string }
  | { type: 'remove'; id: string }
  | { type: 'clear' }
  | { type: 'setCombination'; groupId: string; combinationType: 'AND' | 'OR' }
  | { type: 'setAttribute'; ruleId: string; attribute: AttributeRef | null }
  | { type: 'setCondition'; ruleId: string; condition: MatchCondition | null }
  | { type: 'setOptions'; ruleId: string; options: DraftOptions | undefined }
  | { type: 'setInvert'; ruleId: string; invert: boolean }
  | { type: 'move'; id: string; offset: -1 | 1 }
  | { type: 'wrapInGroup'; id: string }
  | { type: 'moveTo'; id: string; groupId: string; index: number };

/** Applies `fn` to the node with `id`, copying only the groups on the way (rows elsewhere keep identity for memo). */
function updateNode(group: DraftGroup, id: string, fn: (node: DraftNode) => DraftNode): DraftGroup {
  if (group.id === id) return fn(group) as DraftGroup;
  let changed = false;
  const children = group.children.map((child) => {
    if (child.id === id) {
      changed = true;
      return fn(child);
    }
    if (child.kind === 'group') {
      const next = updateNode(child, id, fn);
      if (next !== child) changed = true;
      return next;
    }
    return child;
  });
  return changed ? { ...group, children } : group;
}

function updateRule(root: DraftGroup, id: string, fn: (rule: DraftRule) => DraftRule): DraftGroup {
  return updateNode(root, id, (n) => (n.kind === 'rule' ? fn(n) : n));
}

function updateGroup(root: DraftGroup, id: string, fn: (group: DraftGroup) => DraftGroup): DraftGroup {
  return updateNode(root, id, (n) => (n.kind === 'group' ? fn(n) : n));
}

/** The group containing `id` and its index there. */
export function parentOf(root: DraftGroup, id: string): { parent: DraftGroup; index: number } | undefined {
  const index = root.children.findIndex((c) => c.id === id);
  if (index >= 0) return { parent: root, index };
  for (const child of root.children) {
    if (child.kind === 'group') {
      const found = parentOf(child, id);
      if (found) return found;
    }
  }
  return undefined;
}

function removeNode(root: DraftGroup, id: string): DraftGroup {
  const found = parentOf(root, id);
  if (!found) return root;
  return updateGroup(root, found.parent.id, (g) => ({ ...g, children: g.children.filter((c) => c.id !== id) }));
}

function contains(node: DraftNode, id: string): boolean {
  return node.id === id || (node.kind === 'group' && node.children.some((c) => contains(c, id)));
}

function subtreeDepth(node: DraftNode): number {
  return node.kind === 'rule' ? 0 : 1 + Math.max(0, ...node.children.map(subtreeDepth));
}

export function ruleBuilderReducer(root: DraftGroup, action: RuleBuilderAction, maxDepth = DEFAULT_MAX_DEPTH): DraftGroup {
  switch (action.type) {
    case 'replace':
      return action.root;
    case 'addRule':
      return updateGroup(root, action.groupId, (g) => ({ ...g, children: [...g.children, emptyRule()] }));
    case 'addGroup': {
      const depth = depthOf(root, action.groupId);
      if (depth === undefined || depth >= maxDepth) return root;
      return updateGroup(root, action.groupId, (g) => ({ ...g, children: [...g.children, emptyGroup()] }));
    }
    case 'remove':
      return action.id === root.id ? root : removeNode(root, action.id);
    case 'clear':
      return { ...root, combinationType: 'AND', children: [emptyRule()] };
    case 'setCombination':
      return updateGroup(root, action.groupId, (g) => ({ ...g, combinationType: action.combinationType }));
    case 'setAttribute':
      return updateRule(root, action.ruleId, (r) => {
        const attribute = action.attribute;
        if (attribute === null) return { ...r, attribute: null, condition: null, options: undefined };
        // Keep the operator (and its value) when the new attribute accepts it too.
        const keep = r.condition !== null && isConditionAllowed(r.condition, attribute);
        const condition = keep ? r.condition : (conditionsForAttribute(attribute)[0] ?? null);
        const options = condition === null ? undefined : keep ? r.options : defaultOptions(condition, r.options);
        return { ...r, attribute, condition, options };
      });
    case 'setCondition':
      return updateRule(root, action.ruleId, (r) => ({
        ...r,
        condition: action.condition,
        options: action.condition === null ? undefined : defaultOptions(action.condition, r.options),
      }));
    case 'setOptions':
      return updateRule(root, action.ruleId, (r) => ({ ...r, options: action.options }));
    case 'setInvert':
      return updateRule(root, action.ruleId, (r) => ({ ...r, invert: action.invert }));
    case 'move': {
      const found = parentOf(root, action.id);
      if (!found) return root;
      const target = found.index + action.offset;
      if (target < 0 || target >= found.parent.children.length) return root;
      return updateGroup(root, found.parent.id, (g) => {
        const children = [...g.children];
        const [node] = children.splice(found.index, 1);
        if (node) children.splice(target, 0, node);
        return { ...g, children };
      });
    }
    case 'wrapInGroup': {
      const found = parentOf(root, action.id);
      const node = findNode(root, action.id);
      if (!found || !node) return root;
      const parentDepth = depthOf(root, found.parent.id) ?? 1;
      if (parentDepth + 1 + subtreeDepth(node) > maxDepth) return root;
      const wrapper: DraftGroup = { kind: 'group', id: newId('g'), combinationType: 'AND', children: [node] };
      return updateGroup(root, found.parent.id, (g) => ({
        ...g,
        children: g.children.map((c) => (c.id === action.id ? wrapper : c)),
      }));
    }
    case 'moveTo': {
      const node = findNode(root, action.id);
      const target = findNode(root, action.groupId);
      if (!node || node === root || !target || target.kind !== 'group' || contains(node, action.groupId)) return root;
      const targetDepth = depthOf(root, action.groupId) ?? 1;
      if (targetDepth + subtreeDepth(node) > maxDepth) return root;
      const without = removeNode(root, action.id);
      return updateGroup(without, action.groupId, (g) => {
        const children = [...g.children];
        children.splice(Math.max(0, Math.min(action.index, children.length)), 0, node);
        return { ...g, children };
      });
    }
    default:
      return root;
  }
}

/** Structural equality of two trees, ignoring client ids (for "unsaved changes"). */
export function sameDefinition(a: DraftGroup, b: DraftGroup): boolean {
  return JSON.stringify(toDefinition(a).definition) === JSON.stringify(toDefinition(b).definition);
}
