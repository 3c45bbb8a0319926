import type {
  CustomAttributeReference,
  MatchCondition,
  MatchOptions,
  PresetAttributeReference,
  PresetKey,
} from './types.js';

/** Which options shape a condition takes; 'none' means attributeMatchOptions is ignored. */
export type OptionsKind =
  | 'none'
  | 'string'
  | 'stringList'
  | 'number'
  | 'numberRange'
  | 'regex'
  | 'semver'
  | 'json'
  | 'dateTime'
  | 'dateTimeRange';

/** Condition metadata for UIs and for validation. */
export interface ConditionInfo {
  /** Operator label, e.g. "is", "contains", "is greater than". */
  label: string;
  /** The same operator negated (rule with invertCondition), e.g. "is not". */
  negatedLabel: string;
  options: OptionsKind;
  /** The `__type` of attributeMatchOptions, or null when the condition takes none. */
  optionsType: MatchOptions['__type'] | null;
  /** Presets the condition applies to. */
  presets: readonly PresetKey[];
  /** Whether custom attributes accept it. */
  custom: boolean;
  /** True for Tailor's extensions beyond Contentstack (docs/api-conventions.md, "Extensions"). */
  extension: boolean;
}

const TEXT_PRESETS: readonly PresetKey[] = ['COUNTRY', 'REGION', 'CITY', 'DEVICE_TYPE', 'OPERATING_SYSTEM', 'REFERRER'];
const QUERY: readonly PresetKey[] = ['QUERY_PARAMETERS'];
const TIME: readonly PresetKey[] = ['DATE_AND_TIME'];
const NONE: readonly PresetKey[] = [];

function info(
  label: string,
  negatedLabel: string,
  options: OptionsKind,
  optionsType: MatchOptions['__type'] | null,
  presets: readonly PresetKey[],
  extension: boolean,
  custom = true,
): ConditionInfo {
  return Object.freeze({ label, negatedLabel, options, optionsType, presets, custom, extension });
}

/** Condition metadata: label, options kind, which attributes accept it. */
export const CONDITIONS: Readonly<Record<MatchCondition, ConditionInfo>> = Object.freeze({
  STRING_EQUALS: info('is', 'is not', 'string', 'StringMatchOptions', TEXT_PRESETS, false),
  CONTAINS_SUBSTRING: info('contains', 'does not contain', 'string', 'StringMatchOptions', TEXT_PRESETS, false),
  HAS_ANY_VALUE: info('has any value', 'has no value', 'none', null, [...TEXT_PRESETS, 'QUERY_PARAMETERS'], false),
  IS_TRUE: info('is true', 'is not true', 'none', null, NONE, false),
  IS_FALSE: info('is false', 'is not false', 'none', null, NONE, false),
  NUMBER_EQUAL_TO: info('=', '≠', 'number', 'NumberMatchOptions', NONE, false),
  NUMBER_GREATER_THAN: info('>', '≤', 'number', 'NumberMatchOptions', NONE, false),
  NUMBER_LESS_THAN: info('<', '≥', 'number', 'NumberMatchOptions', NONE, false),
  JSON_MATCH: info('has query parameter', 'does not have query parameter', 'json', 'JsonMatchOptions', QUERY, false, false),
  BEFORE_TIME: info('is before', 'is not before', 'dateTime', 'DateTimeMatchOptions', TIME, false),
  AFTER_TIME: info('is after', 'is not after', 'dateTime', 'DateTimeMatchOptions', TIME, false),
  BETWEEN_TIME: info('is between', 'is not between', 'dateTimeRange', 'DateTimeRangeMatchOptions', TIME, false),
  STRING_STARTS_WITH: info('starts with', 'does not start with', 'string', 'StringMatchOptions', TEXT_PRESETS, true),
  STRING_ENDS_WITH: info('ends with', 'does not end with', 'string', 'StringMatchOptions', TEXT_PRESETS, true),
  STRING_IN_LIST: info('is one of', 'is none of', 'stringList', 'StringListMatchOptions', TEXT_PRESETS, true),
  NUMBER_BETWEEN: info('is between', 'is not between', 'numberRange', 'NumberRangeMatchOptions', NONE, true),
  MATCHES_REGEX: info('matches', 'does not match', 'regex', 'RegexMatchOptions', TEXT_PRESETS, true),
  SEMVER_EQUALS: info('is version', 'is not version', 'semver', 'SemverMatchOptions', NONE, true),
  SEMVER_GREATER_THAN: info('is a version after', 'is not a version after', 'semver', 'SemverMatchOptions', NONE, true),
  SEMVER_LESS_THAN: info('is a version before', 'is not a version before', 'semver', 'SemverMatchOptions', NONE, true),
});

/** Every condition name, in declaration order. */
export const MATCH_CONDITIONS: readonly MatchCondition[] = Object.freeze(Object.keys(CONDITIONS) as MatchCondition[]);

/** True when `value` names a condition. */
export function isMatchCondition(value: unknown): value is MatchCondition {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CONDITIONS, value);
}

/** Conditions the attribute accepts, in declaration order (for the rule builder's operator list). */
export function conditionsForAttribute(ref: PresetAttributeReference | CustomAttributeReference): MatchCondition[] {
  return MATCH_CONDITIONS.filter((c) => isConditionAllowed(c, ref));
}

/** Whether the condition applies to the attribute. */
export function isConditionAllowed(
  condition: MatchCondition,
  ref: PresetAttributeReference | CustomAttributeReference,
): boolean {
  const meta = CONDITIONS[condition];
  return ref.__type === 'CustomAttributeReference' ? meta.custom : meta.presets.includes(ref.ref);
}
