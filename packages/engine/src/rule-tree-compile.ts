import { compileValueTest, type ValueTest } from './condition-tests.js';
import { EvaluationPlanner } from './evaluation-order.js';
import { fusedCustomRule } from './fused-rules.js';
import { lowerMemoFor } from './lower-memo.js';
import type { AttributeCatalog, Matcher, Rule, RuleCombination, VisitorContext } from './types.js';

/** Reads the raw value a rule tests, plus the name explanations show. */
export interface AttributeReader {
  read: (visitor: VisitorContext) => unknown;
  /** The custom attribute key, or the preset key. */
  name: string;
}

const NO_ATTRIBUTE: AttributeReader = { read: () => undefined, name: '' };

/** How a rule's attribute is read. A custom uid missing from the catalog reads as missing. */
export function attributeReader(rule: Rule, catalog: AttributeCatalog): AttributeReader {
  const ref = rule.attribute;
  if (ref.__type === 'CustomAttributeReference') {
    const entry = catalog.customAttributes.get(ref.ref);
    if (entry === undefined) return { ...NO_ATTRIBUTE, name: ref.ref };
    const key = entry.key;
    return { read: (v) => v.attributes[key], name: key };
  }
  switch (ref.ref) {
    case 'COUNTRY':
      return { read: (v) => v.presets.COUNTRY, name: 'COUNTRY' };
    case 'REGION':
      return { read: (v) => v.presets.REGION, name: 'REGION' };
    case 'CITY':
      return { read: (v) => v.presets.CITY, name: 'CITY' };
    case 'DEVICE_TYPE':
      return { read: (v) => v.presets.DEVICE_TYPE, name: 'DEVICE_TYPE' };
    case 'OPERATING_SYSTEM':
      return { read: (v) => v.presets.OPERATING_SYSTEM, name: 'OPERATING_SYSTEM' };
    case 'REFERRER':
      return { read: (v) => v.presets.REFERRER, name: 'REFERRER' };
    case 'QUERY_PARAMETERS':
      return { read: (v) => v.presets.PAGE_URL, name: 'QUERY_PARAMETERS' };
    case 'DATE_AND_TIME':
      return { read: (v) => v.now, name: 'DATE_AND_TIME' };
    default:
      return { ...NO_ATTRIBUTE, name: String((ref as { ref: unknown }).ref) };
  }
}

/** The value test of a rule (without inversion). */
export function ruleValueTest(rule: Rule): ValueTest {
  const preset = rule.attribute.__type === 'PresetAttributeReference' ? rule.attribute.ref : null;
  return compileValueTest(rule.attributeMatchCondition, rule.attributeMatchOptions, preset);
}

/** One rule as a closure (the snapshot program runs it for rules it has no instruction for). */
export function compileRule(rule: Rule, catalog: AttributeCatalog): Matcher {
  const ref = rule.attribute;
  const preset = ref.__type === 'PresetAttributeReference' ? ref.ref : null;
  // Custom attributes are the hot case; reading the key inline saves a closure call per rule.
  if (ref.__type === 'CustomAttributeReference') {
    const entry = catalog.customAttributes.get(ref.ref);
    if (entry !== undefined) {
      const key = entry.key;
      const fused = fusedCustomRule(rule, key, lowerMemoFor(key));
      if (fused !== null) return fused;
      const test = compileValueTest(rule.attributeMatchCondition, rule.attributeMatchOptions, null, lowerMemoFor(key));
      return rule.invertCondition ? (v) => !test(v.attributes[key]) : (v) => test(v.attributes[key]);
    }
  }
  const test = compileValueTest(rule.attributeMatchCondition, rule.attributeMatchOptions, preset, lowerMemoFor(`$${String(preset)}`));
  const { read } = attributeReader(rule, catalog);
  return rule.invertCondition ? (v) => !test(read(v)) : (v) => test(read(v));
}

function compileGroup(group: RuleCombination, catalog: AttributeCatalog, planner: EvaluationPlanner): Matcher {
  const children = planner.order(group).map((r) => compileNode(r, catalog, planner));
  const and = group.combinationType === 'AND';
  // Small fixed arities avoid the loop; an empty group matches nothing (validation forbids it).
  if (children.length === 0) return () => false;
  if (children.length === 1) return children[0] as Matcher;
  if (children.length === 2) {
    const [a, b] = children as [Matcher, Matcher];
    return and ? (v) => a(v) && b(v) : (v) => a(v) || b(v);
  }
  if (children.length === 3) {
    const [a, b, c] = children as [Matcher, Matcher, Matcher];
    return and ? (v) => a(v) && b(v) && c(v) : (v) => a(v) || b(v) || c(v);
  }
  const n = children.length;
  return and
    ? (v) => {
        for (let i = 0; i < n; i++) if (!(children[i] as Matcher)(v)) return false;
        return true;
      }
    : (v) => {
        for (let i = 0; i < n; i++) if ((children[i] as Matcher)(v)) return true;
        return false;
      };
}

function compileNode(node: Rule | RuleCombination, catalog: AttributeCatalog, planner: EvaluationPlanner): Matcher {
  return node.__type === 'RuleCombination' ? compileGroup(node, catalog, planner) : compileRule(node, catalog);
}

/**
 * Compiles a validated definition into a closure tree: regexes compiled, lists turned into
 * sets, attribute keys resolved once. No eval, so it runs in edge workers.
 */
export function compileDefinition(definition: RuleCombination, catalog: AttributeCatalog): Matcher {
  return compileGroup(definition, catalog, new EvaluationPlanner());
}
