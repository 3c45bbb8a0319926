/** The eight preset attributes Contentstack Personalize derives from the request. */
export type PresetKey =
  | 'COUNTRY'
  | 'REGION'
  | 'CITY'
  | 'DEVICE_TYPE'
  | 'OPERATING_SYSTEM'
  | 'REFERRER'
  | 'QUERY_PARAMETERS'
  | 'DATE_AND_TIME';

/** Every preset key, in the order the console lists them. */
export const PRESET_KEYS: readonly PresetKey[] = Object.freeze([
  'COUNTRY',
  'REGION',
  'CITY',
  'DEVICE_TYPE',
  'OPERATING_SYSTEM',
  'REFERRER',
  'QUERY_PARAMETERS',
  'DATE_AND_TIME',
] as const);

/** Contentstack's documented conditions plus Tailor's extensions (docs/api-conventions.md, "Extensions"). */
export type MatchCondition =
  | 'STRING_EQUALS'
  | 'CONTAINS_SUBSTRING'
  | 'HAS_ANY_VALUE'
  | 'IS_TRUE'
  | 'IS_FALSE'
  | 'NUMBER_EQUAL_TO'
  | 'NUMBER_GREATER_THAN'
  | 'NUMBER_LESS_THAN'
  | 'JSON_MATCH'
  | 'BEFORE_TIME'
  | 'AFTER_TIME'
  | 'BETWEEN_TIME'
  | 'STRING_STARTS_WITH'
  | 'STRING_ENDS_WITH'
  | 'STRING_IN_LIST'
  | 'NUMBER_BETWEEN'
  | 'MATCHES_REGEX'
  | 'SEMVER_EQUALS'
  | 'SEMVER_GREATER_THAN'
  | 'SEMVER_LESS_THAN';

/** A group of rules ("Match All" = AND, "Match Any" = OR). Groups nest. */
export interface RuleCombination {
  __type: 'RuleCombination';
  combinationType: 'AND' | 'OR';
  rules: Array<Rule | RuleCombination>;
}

/** One condition on one attribute, optionally negated. */
export interface Rule {
  __type: 'Rule';
  attribute: PresetAttributeReference | CustomAttributeReference;
  attributeMatchCondition: MatchCondition;
  attributeMatchOptions?: MatchOptions;
  invertCondition: boolean;
}

/** Reference to a preset attribute by its key (which is also its uid). */
export interface PresetAttributeReference {
  __type: 'PresetAttributeReference';
  ref: PresetKey;
}

/** Reference to a custom attribute by its uid (not its key). */
export interface CustomAttributeReference {
  __type: 'CustomAttributeReference';
  ref: string;
}

/** Options of STRING_EQUALS, CONTAINS_SUBSTRING, STRING_STARTS_WITH, STRING_ENDS_WITH. */
export interface StringMatchOptions {
  __type: 'StringMatchOptions';
  value: string;
  /** Default false: comparisons ignore case, as Contentstack's do. */
  caseSensitive?: boolean;
}

/** Options of STRING_IN_LIST: matches when the value equals any entry. */
export interface StringListMatchOptions {
  __type: 'StringListMatchOptions';
  values: string[];
  caseSensitive?: boolean;
}

/** Options of NUMBER_EQUAL_TO, NUMBER_GREATER_THAN, NUMBER_LESS_THAN. */
export interface NumberMatchOptions {
  __type: 'NumberMatchOptions';
  value: number;
}

/** Options of NUMBER_BETWEEN: inclusive at both ends. */
export interface NumberRangeMatchOptions {
  __type: 'NumberRangeMatchOptions';
  min: number;
  max: number;
}

/** Options of MATCHES_REGEX: a pattern in Tailor's linear-time subset (ADR 0010). */
export interface RegexMatchOptions {
  __type: 'RegexMatchOptions';
  pattern: string;
  caseSensitive?: boolean;
}

/** Options of SEMVER_*: a semver.org version such as "2.1.0-beta.1". */
export interface SemverMatchOptions {
  __type: 'SemverMatchOptions';
  value: string;
}

/**
 * Options of JSON_MATCH on QUERY_PARAMETERS: the page URL's query string has `key`, and, when
 * `value` is given, one of the key's values equals it.
 */
export interface JsonMatchOptions {
  __type: 'JsonMatchOptions';
  key: string;
  value?: string;
  caseSensitive?: boolean;
}

/**
 * Options of BEFORE_TIME and AFTER_TIME. `value` is an ISO-8601 date or date-time, or a time of
 * day "HH:MM[:SS]". Without an explicit offset it is read in `timezone` (IANA, default "UTC").
 */
export interface DateTimeMatchOptions {
  __type: 'DateTimeMatchOptions';
  value: string;
  timezone?: string;
}

/** Options of BETWEEN_TIME: inclusive `from`, exclusive `to`; both of the same kind. */
export interface DateTimeRangeMatchOptions {
  __type: 'DateTimeRangeMatchOptions';
  from: string;
  to: string;
  timezone?: string;
}

/** Every options shape; the `__type` tells which. */
export type MatchOptions =
  | StringMatchOptions
  | StringListMatchOptions
  | NumberMatchOptions
  | NumberRangeMatchOptions
  | RegexMatchOptions
  | SemverMatchOptions
  | JsonMatchOptions
  | DateTimeMatchOptions
  | DateTimeRangeMatchOptions;

/** What the caller knows about the project's attributes. */
export interface AttributeCatalog {
  customAttributes: ReadonlyMap<string, { key: string; name?: string }>;
}

/** Per-project limits on one definition. */
export interface Limits {
  /** Leaf rules in the whole tree; default 50. */
  maxRules?: number;
  /** Nesting levels, the root group being level 1; default 8. */
  maxDepth?: number;
}

/** One problem in a definition. */
export interface ValidationIssue {
  /** Relative to the definition root, e.g. "rules[1].rules[0].attributeMatchOptions.value"; "" is the root. */
  path: string;
  /** A sentence saying what was expected and what was received. */
  message: string;
  /** Stable machine code, e.g. RULE_COUNT_EXCEEDED, UNKNOWN_ATTRIBUTE, INVALID_OPTIONS. */
  code: string;
}

/** The visitor as the engine sees it. Custom attributes are keyed by attribute KEY. */
export interface VisitorContext {
  attributes: Readonly<Record<string, string | number | boolean>>;
  presets: Readonly<{
    COUNTRY?: string;
    REGION?: string;
    CITY?: string;
    DEVICE_TYPE?: string;
    OPERATING_SYSTEM?: string;
    REFERRER?: string;
    PAGE_URL?: string;
  }>;
  /** Epoch milliseconds; drives DATE_AND_TIME. */
  now: number;
}

/** A compiled definition. */
export type Matcher = (visitor: VisitorContext) => boolean;
