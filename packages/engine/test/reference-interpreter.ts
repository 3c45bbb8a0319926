// A deliberately naive interpreter of definitions, written independently of src/ (native
// RegExp, URL, Date), so property tests can compare the compiled matcher against it.
import type { AttributeCatalog, Rule, RuleCombination, VisitorContext } from '../src/index.js';

type O = Record<string, unknown>;

function missing(x: unknown): boolean {
  if (x === undefined || x === null || x === '') return true;
  if (typeof x === 'number') return !Number.isFinite(x);
  return typeof x !== 'string' && typeof x !== 'boolean';
}

function text(x: unknown): string | null {
  return missing(x) ? null : String(x);
}

function num(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x !== 'string') return NaN;
  const t = x.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
}

function semver(s: unknown): [number, number, number, string[]] | null {
  if (typeof s !== 'string') return null;
  const m = /^[vV]?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(s.trim());
  if (m === null) return null;
  const pre = m[4] === undefined ? [] : m[4].split('.');
  if (pre.some((p) => p === '' || /^0\d+$/.test(p))) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3]), pre];
}

function cmpSemver(a: [number, number, number, string[]], b: [number, number, number, string[]]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  const [pa, pb] = [a[3], b[3]];
  if (pa.length === 0 || pb.length === 0) return pb.length - pa.length;
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function instant(s: string): number {
  // Date.parse accepts far more than ISO-8601 (" 42 " is the year 2042), so gate it.
  return /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?)?$/.test(s) ? Date.parse(s.length === 10 ? s : s.endsWith('Z') ? s : `${s}Z`) : NaN;
}

function timeOfDay(s: string): number {
  const [h, m, sec] = s.split(':').map(Number);
  return ((h ?? 0) * 3600 + (m ?? 0) * 60 + (sec ?? 0)) * 1000;
}

function evalRule(rule: Rule, catalog: AttributeCatalog, v: VisitorContext): boolean {
  const a = rule.attribute;
  const o = (rule.attributeMatchOptions ?? {}) as O;
  let raw: unknown;
  if (a.__type === 'CustomAttributeReference') {
    const key = catalog.customAttributes.get(a.ref)?.key;
    raw = key !== undefined && Object.prototype.hasOwnProperty.call(v.attributes, key) ? v.attributes[key] : undefined;
  } else if (a.ref === 'QUERY_PARAMETERS') raw = v.presets.PAGE_URL;
  else if (a.ref === 'DATE_AND_TIME') raw = v.now;
  else raw = v.presets[a.ref];
  const cs = o.caseSensitive === true;
  const f = (s: string): string => (cs ? s : s.toLowerCase());
  const t = text(raw);
  switch (rule.attributeMatchCondition) {
    case 'STRING_EQUALS': return t !== null && f(t) === f(o.value as string);
    case 'CONTAINS_SUBSTRING': return t !== null && f(t).includes(f(o.value as string));
    case 'STRING_STARTS_WITH': return t !== null && f(t).startsWith(f(o.value as string));
    case 'STRING_ENDS_WITH': return t !== null && f(t).endsWith(f(o.value as string));
    case 'STRING_IN_LIST': return t !== null && (o.values as string[]).some((x) => f(x) === f(t));
    case 'HAS_ANY_VALUE':
      if (a.__type === 'PresetAttributeReference' && a.ref === 'QUERY_PARAMETERS') return typeof raw === 'string' && /\?[^#]*[^#&]/.test(raw.split('#')[0] ?? '');
      return t !== null;
    case 'IS_TRUE': return raw === true || (typeof raw === 'string' && raw.trim().toLowerCase() === 'true');
    case 'IS_FALSE': return raw === false || (typeof raw === 'string' && raw.trim().toLowerCase() === 'false');
    case 'NUMBER_EQUAL_TO': return num(raw) === o.value;
    case 'NUMBER_GREATER_THAN': return num(raw) > (o.value as number);
    case 'NUMBER_LESS_THAN': return num(raw) < (o.value as number);
    case 'NUMBER_BETWEEN': return num(raw) >= (o.min as number) && num(raw) <= (o.max as number);
    case 'MATCHES_REGEX': return t !== null && new RegExp(o.pattern as string, cs ? '' : 'i').test(t);
    case 'SEMVER_EQUALS':
    case 'SEMVER_GREATER_THAN':
    case 'SEMVER_LESS_THAN': {
      const x = semver(raw);
      const y = semver(o.value);
      if (x === null || y === null) return false;
      const c = cmpSemver(x, y);
      return rule.attributeMatchCondition === 'SEMVER_EQUALS' ? c === 0 : rule.attributeMatchCondition === 'SEMVER_GREATER_THAN' ? c > 0 : c < 0;
    }
    case 'JSON_MATCH': {
      if (typeof raw !== 'string' || raw === '') return false;
      const params = new URL(raw, 'http://base.invalid').searchParams;
      for (const [k, val] of params) {
        if (f(k) === f(o.key as string) && (o.value === undefined || f(val) === f(o.value as string))) return true;
      }
      return false;
    }
    case 'BEFORE_TIME':
    case 'AFTER_TIME':
    case 'BETWEEN_TIME': {
      // The generators only produce UTC forms, so Date.parse and a modulo are enough here.
      const isRange = rule.attributeMatchCondition === 'BETWEEN_TIME';
      const first = (isRange ? o.from : o.value) as string;
      const dayClock = /^\d{2}:/.test(first);
      let x: number;
      if (a.__type === 'PresetAttributeReference') x = dayClock ? (v.now % 86_400_000 + 86_400_000) % 86_400_000 : v.now;
      else x = typeof raw === 'number' ? raw : typeof raw === 'string' ? instant(raw) : NaN;
      const at = (s: string): number => (dayClock ? timeOfDay(s) : instant(s));
      if (rule.attributeMatchCondition === 'BEFORE_TIME') return x < at(first);
      if (rule.attributeMatchCondition === 'AFTER_TIME') return x > at(first);
      const [lo, hi] = [at(first), at(o.to as string)];
      return lo <= hi ? x >= lo && x < hi : x >= lo || x < hi;
    }
  }
}

/** Reference semantics: a group is AND/OR over children, a rule XORs its inversion. */
export function referenceEvaluate(node: Rule | RuleCombination, catalog: AttributeCatalog, v: VisitorContext): boolean {
  if (node.__type === 'RuleCombination') {
    const results = node.rules.map((r) => referenceEvaluate(r, catalog, v));
    return node.combinationType === 'AND' ? results.every(Boolean) : results.some(Boolean);
  }
  return evalRule(node, catalog, v) !== node.invertCondition;
}
