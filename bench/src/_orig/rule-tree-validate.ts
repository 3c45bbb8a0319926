import { CONDITIONS, conditionsForAttribute, isConditionAllowed, isMatchCondition } from './conditions.js';
import { describeValue, isRecord } from './describe.js';
import { validateOptions } from './options.js';
import {
  PRESET_KEYS,
  type AttributeCatalog,
  type CustomAttributeReference,
  type Limits,
  type MatchCondition,
  type PresetAttributeReference,
  type PresetKey,
  type Rule,
  type RuleCombination,
  type ValidationIssue,
} from './types.js';

/** Contentstack's default rule limit per audience. */
export const DEFAULT_MAX_RULES = 50;
/** Deepest nesting accepted; the root group is level 1. */
export const DEFAULT_MAX_DEPTH = 8;
// Past this many nodes the walk stops, so a hostile tree costs bounded time.
const NODE_BUDGET = 5_000;

/** Result of validateDefinition. */
export type ValidationResult = { ok: true; definition: RuleCombination } | { ok: false; issues: ValidationIssue[] };

const LYTICS_CONDITIONS = new Set(['IS_MEMBER_OF', 'IS_IN_FLOW_STATE']);
const LYTICS = 'Lytics attributes are not supported by Tailor';

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

class Walker {
  readonly issues: ValidationIssue[] = [];
  rules = 0;
  nodes = 0;
  stopped = false;
  private readonly ancestors = new Set<object>();

  constructor(
    private readonly catalog: AttributeCatalog,
    private readonly maxRules: number,
    private readonly maxDepth: number,
  ) {}

  issue(path: string, code: string, message: string): void {
    this.issues.push({ path, code, message });
  }

  group(raw: Record<string, unknown>, path: string, depth: number): RuleCombination | null {
    if (raw.__type !== undefined && raw.__type !== 'RuleCombination') {
      this.issue(join(path, '__type'), 'INVALID_TYPE', `expected a group with __type "RuleCombination", received ${describeValue(raw.__type)}`);
    }
    const ct = raw.combinationType;
    if (ct !== 'AND' && ct !== 'OR') {
      this.issue(join(path, 'combinationType'), 'INVALID_COMBINATION_TYPE', `expected "AND" (match all) or "OR" (match any), received ${describeValue(ct)}`);
    }
    if (depth > this.maxDepth) {
      this.issue(path, 'DEPTH_EXCEEDED', `expected groups nested at most ${this.maxDepth} levels deep, received a group at level ${depth}`);
      return null;
    }
    const rules = raw.rules;
    if (!Array.isArray(rules)) {
      this.issue(join(path, 'rules'), 'INVALID_TYPE', `expected a list of rules and groups, received ${describeValue(rules)}`);
      return null;
    }
    if (rules.length === 0) {
      this.issue(join(path, 'rules'), 'EMPTY_GROUP', 'expected a group with at least one rule or group, received an empty group');
    }
    const out: Array<Rule | RuleCombination> = [];
    for (let i = 0; i < rules.length && !this.stopped; i++) {
      const child = this.node(rules[i], join(join(path, 'rules'), i), depth + 1);
      if (child !== null) out.push(child);
    }
    return ct === 'AND' || ct === 'OR' ? { __type: 'RuleCombination', combinationType: ct, rules: out } : null;
  }

  node(raw: unknown, path: string, depth: number, root = false): Rule | RuleCombination | null {
    if (++this.nodes > NODE_BUDGET) {
      this.stopped = true;
      return null;
    }
    if (!isRecord(raw)) {
      this.issue(path, 'INVALID_TYPE', `expected a rule ({"__type":"Rule",…}) or a group ({"__type":"RuleCombination",…}), received ${describeValue(raw)}`);
      return null;
    }
    if (this.ancestors.has(raw)) {
      this.issue(path, 'CYCLE', 'expected a tree, received a group that contains itself');
      return null;
    }
    this.ancestors.add(raw);
    try {
      const isGroup = root || raw.__type === 'RuleCombination' || (raw.__type === undefined && 'rules' in raw);
      return isGroup ? this.group(raw, path, depth) : this.rule(raw, path);
    } finally {
      this.ancestors.delete(raw);
    }
  }

  private attribute(raw: unknown, path: string): PresetAttributeReference | CustomAttributeReference | null {
    if (!isRecord(raw)) {
      this.issue(path, 'INVALID_ATTRIBUTE', `expected an attribute reference such as {"__type":"PresetAttributeReference","ref":"COUNTRY"}, received ${describeValue(raw)}`);
      return null;
    }
    const ref = raw.ref;
    switch (raw.__type) {
      case 'PresetAttributeReference':
        if (typeof ref === 'string' && (PRESET_KEYS as readonly string[]).includes(ref)) {
          return { __type: 'PresetAttributeReference', ref: ref as PresetKey };
        }
        this.issue(join(path, 'ref'), 'UNKNOWN_ATTRIBUTE', `expected one of the presets ${PRESET_KEYS.join(', ')}, received ${describeValue(ref)}`);
        return null;
      case 'CustomAttributeReference':
      case 'UserAttributeReference': // legacy alias seen in older Contentstack tools
        if (typeof ref === 'string' && this.catalog.customAttributes.has(ref)) return { __type: 'CustomAttributeReference', ref };
        this.issue(join(path, 'ref'), 'UNKNOWN_ATTRIBUTE', this.unknownCustom(ref));
        return null;
      case 'LyticsAttributeReference':
        this.issue(path, 'LYTICS_NOT_SUPPORTED', `${LYTICS}: received a reference to ${describeValue(ref)}`);
        return null;
      default:
        this.issue(join(path, '__type'), 'INVALID_ATTRIBUTE', `expected "PresetAttributeReference" or "CustomAttributeReference", received ${describeValue(raw.__type)}`);
        return null;
    }
  }

  private unknownCustom(ref: unknown): string {
    if (typeof ref === 'string') {
      for (const [uid, attr] of this.catalog.customAttributes) {
        if (attr.key === ref) return `expected the uid of a custom attribute of this project, received the key "${ref}"; use its uid "${uid}"`;
      }
    }
    return `expected the uid of a custom attribute of this project, received ${describeValue(ref)}, which matches none`;
  }

  rule(raw: Record<string, unknown>, path: string): Rule | null {
    this.rules++;
    if (raw.__type !== undefined && raw.__type !== 'Rule') {
      this.issue(join(path, '__type'), 'INVALID_TYPE', `expected "Rule" or "RuleCombination", received ${describeValue(raw.__type)}`);
    }
    const attribute = this.attribute(raw.attribute, join(path, 'attribute'));
    const condPath = join(path, 'attributeMatchCondition');
    const cond = raw.attributeMatchCondition;
    let condition: MatchCondition | null = null;
    if (isMatchCondition(cond)) condition = cond;
    else if (typeof cond === 'string' && LYTICS_CONDITIONS.has(cond)) this.issue(condPath, 'LYTICS_NOT_SUPPORTED', `${LYTICS}: received the condition "${cond}"`);
    else this.issue(condPath, 'UNKNOWN_CONDITION', `expected one of ${Object.keys(CONDITIONS).join(', ')}, received ${describeValue(cond)}`);

    if (attribute !== null && condition !== null && !isConditionAllowed(condition, attribute)) {
      const allowed = conditionsForAttribute(attribute).join(', ');
      this.issue(condPath, 'CONDITION_NOT_ALLOWED', `expected a condition that ${this.attrLabel(attribute)} accepts (${allowed}), received "${condition}"`);
    }
    let options;
    if (condition !== null) {
      const timeOfDay = attribute?.__type === 'PresetAttributeReference' && attribute.ref === 'DATE_AND_TIME';
      options = validateOptions(condition, raw.attributeMatchOptions, join(path, 'attributeMatchOptions'), this.issues, timeOfDay || attribute === null);
    }
    const inv = raw.invertCondition;
    if (inv !== undefined && typeof inv !== 'boolean') {
      this.issue(join(path, 'invertCondition'), 'INVALID_TYPE', `expected true or false, received ${describeValue(inv)}`);
    }
    if (attribute === null || condition === null) return null;
    // Contentstack requires invertCondition; Tailor reads its absence as false (lenient input).
    return options === undefined
      ? { __type: 'Rule', attribute, attributeMatchCondition: condition, invertCondition: inv === true }
      : { __type: 'Rule', attribute, attributeMatchCondition: condition, attributeMatchOptions: options, invertCondition: inv === true };
  }

  private attrLabel(a: PresetAttributeReference | CustomAttributeReference): string {
    if (a.__type === 'PresetAttributeReference') return `the preset ${a.ref}`;
    return `the custom attribute "${this.catalog.customAttributes.get(a.ref)?.key ?? a.ref}"`;
  }
}

/**
 * Validates a definition against the catalog and limits, reporting every problem with its
 * path. Never throws. On success returns a normalized deep copy: unknown keys dropped, keys in
 * a fixed order, missing invertCondition set to false.
 */
export function validateDefinition(input: unknown, catalog: AttributeCatalog, limits?: Limits): ValidationResult {
  const maxRules = limits?.maxRules ?? DEFAULT_MAX_RULES;
  const maxDepth = limits?.maxDepth ?? DEFAULT_MAX_DEPTH;
  const w = new Walker(catalog, maxRules, maxDepth);
  let definition: RuleCombination | null = null;
  if (!isRecord(input)) {
    w.issue('', 'INVALID_TYPE', `expected a definition object {"__type":"RuleCombination","combinationType":"AND","rules":[…]}, received ${describeValue(input)}`);
  } else if (input.__type !== undefined && input.__type !== 'RuleCombination') {
    w.issue('__type', 'INVALID_TYPE', `expected the definition root to be a group with __type "RuleCombination", received ${describeValue(input.__type)}`);
  } else {
    const node = w.node(input, '', 1, true);
    definition = node !== null && node.__type === 'RuleCombination' ? node : null;
  }
  if (w.stopped || w.rules > maxRules) {
    const count = w.stopped ? `a tree of more than ${NODE_BUDGET} rules and groups` : String(w.rules);
    w.issue('', 'RULE_COUNT_EXCEEDED', `expected at most ${maxRules} rules in an audience, received ${count}`);
  }
  if (w.issues.length > 0 || definition === null) return { ok: false, issues: w.issues };
  return { ok: true, definition };
}

/** Number of rules (leaves) in a definition; groups do not count. */
export function countRules(def: RuleCombination): number {
  let n = 0;
  for (const r of def.rules) n += r.__type === 'RuleCombination' ? countRules(r) : 1;
  return n;
}

/** Nesting depth: a root group with only rules has depth 1. */
export function definitionDepth(def: RuleCombination): number {
  let d = 0;
  for (const r of def.rules) if (r.__type === 'RuleCombination') d = Math.max(d, definitionDepth(r));
  return d + 1;
}
