import { CONDITIONS } from './conditions.js';
import type { AttributeCatalog, MatchCondition, MatchOptions, Rule, RuleCombination } from './types.js';

const PRESET_NAMES: Readonly<Record<string, string>> = {
  COUNTRY: 'Country',
  REGION: 'Region',
  CITY: 'City',
  DEVICE_TYPE: 'Device type',
  OPERATING_SYSTEM: 'Operating system',
  REFERRER: 'Referrer',
  QUERY_PARAMETERS: 'Query parameters',
  DATE_AND_TIME: 'Date and time',
};

/** The operand part of a rule in words, e.g. `"US"`, `30 and 40`, `utm_source = "ads"`. */
export function describeOptions(condition: MatchCondition, options: MatchOptions | undefined): string {
  if (options === undefined) return '';
  const o = options as unknown as Record<string, unknown>;
  const cs = o.caseSensitive === true ? ' (case-sensitive)' : '';
  const tz = typeof o.timezone === 'string' ? ` ${o.timezone}` : '';
  switch (CONDITIONS[condition].options) {
    case 'string':
    case 'semver':
      return `${JSON.stringify(o.value)}${cs}`;
    case 'stringList':
      return `${(o.values as string[]).map((v) => JSON.stringify(v)).join(', ')}${cs}`;
    case 'number':
      return String(o.value);
    case 'numberRange':
      return `${String(o.min)} and ${String(o.max)}`;
    case 'regex':
      return `/${String(o.pattern)}/${o.caseSensitive === true ? '' : 'i'}`;
    case 'json':
      return `${JSON.stringify(o.key)}${o.value === undefined ? '' : ` = ${JSON.stringify(o.value)}`}${cs}`;
    case 'dateTime':
      return `${String(o.value)}${tz}`;
    case 'dateTimeRange':
      return `${String(o.from)} and ${String(o.to)}${tz}`;
    default:
      return '';
  }
}

/** How people see a rule's attribute: the custom attribute's name (else its key), or the preset's name. */
export function attributeName(rule: Rule, catalog: AttributeCatalog): string {
  const a = rule.attribute;
  if (a.__type === 'PresetAttributeReference') return PRESET_NAMES[a.ref] ?? a.ref;
  const entry = catalog.customAttributes.get(a.ref);
  return entry?.name ?? entry?.key ?? a.ref;
}

function summarizeNode(node: Rule | RuleCombination, catalog: AttributeCatalog, nested: boolean): string {
  if (node.__type === 'Rule') {
    const meta = CONDITIONS[node.attributeMatchCondition];
    const label = node.invertCondition ? meta.negatedLabel : meta.label;
    const opts = describeOptions(node.attributeMatchCondition, node.attributeMatchOptions);
    return `${attributeName(node, catalog)} ${label}${opts === '' ? '' : ` ${opts}`}`;
  }
  const joiner = node.combinationType === 'AND' ? ' and ' : ' or ';
  const text = node.rules.map((r) => summarizeNode(r, catalog, true)).join(joiner);
  return nested && node.rules.length > 1 ? `(${text})` : text;
}

/** A readable sentence for lists and diffs: `Country is "US" and (Age > 30 or Plan is "gold")`. */
export function summarizeDefinition(definition: RuleCombination, catalog: AttributeCatalog): string {
  return summarizeNode(definition, catalog, false);
}
