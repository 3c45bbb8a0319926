import { parseDateTime, resolveInstant, timeOfDayMs } from './datetime.js';
import { decisionWork, SEARCH_WORK_PER_CHAR } from './decision-work.js';
import { sharedSafeRegex } from './regex/shared-regex.js';
import { compareSemver, parseSemver } from './semver.js';
import type { MatchCondition, MatchOptions, PresetKey } from './types.js';
import { isAscii, LowerMemo } from './lower-memo.js';
import { queryIndex } from './query-index.js';
import { isMissing, toBoolean, toInstant, toNumber, toText } from './values.js';

/** Decides one condition on a raw attribute value; a missing value always gives false. */
export type ValueTest = (raw: unknown) => boolean;

type Opt = Record<string, unknown>;
const NEVER: ValueTest = () => false;

/**
 * A text constant as the tests compare it: folded unless `caseSensitive`, and its length when it
 * is ASCII (else -1). Lower-casing maps each code unit of a string to one code unit, except
 * U+0130, whose lower case adds a non-ASCII U+0307. So against an ASCII constant, a value of
 * another length can never be equal, and a shorter one can never contain it: the tests then skip
 * the lower-casing (with -1, `length >= asciiLength` always holds and skips nothing).
 */
export function textConstant(o: Opt): { value: string; cs: boolean; asciiLength: number } {
  const cs = o.caseSensitive === true;
  const value = cs ? (o.value as string) : (o.value as string).toLowerCase();
  return { value, cs, asciiLength: isAscii(value) ? value.length : -1 };
}

/** STRING_EQUALS on a raw value; the exact comparison first spares the lower-case copy in the common case. */
export function textEquals(raw: unknown, value: string, cs: boolean, asciiLength: number, memo: LowerMemo): boolean {
  const s = typeof raw === 'string' ? raw : toText(raw);
  return s !== null && (s === value || (!cs && (asciiLength < 0 || s.length === asciiLength) && memo.lower(s) === value));
}

/** IS_TRUE / IS_FALSE on a raw value (booleans, or "true" / "false" in any case). */
export const isTrueValue = (raw: unknown): boolean => raw === true || toBoolean(raw) === true;
export const isFalseValue = (raw: unknown): boolean => raw === false || toBoolean(raw) === false;

function textTest(condition: MatchCondition, o: Opt, memo: LowerMemo): ValueTest {
  const cs = o.caseSensitive === true;
  const fold = (s: string): string => (cs ? s : s.toLowerCase());
  if (condition === 'STRING_IN_LIST') {
    const set = new Set((o.values as string[]).map(fold));
    return (raw) => {
      const s = toText(raw);
      return s !== null && (set.has(s) || (!cs && set.has(memo.lower(s))));
    };
  }
  const { value, asciiLength } = textConstant(o);
  switch (condition) {
    case 'STRING_EQUALS':
      return (raw) => textEquals(raw, value, cs, asciiLength, memo);
    // The scans charge the decision's budget by the characters they may compare (ADR 0080).
    case 'CONTAINS_SUBSTRING':
      return (raw) => {
        const s = toText(raw);
        if (s === null || s.length < asciiLength) return false;
        decisionWork.spend(s.length * SEARCH_WORK_PER_CHAR);
        return (cs ? s : memo.lower(s)).includes(value);
      };
    case 'STRING_STARTS_WITH':
      return (raw) => {
        const s = toText(raw);
        if (s === null || s.length < asciiLength) return false;
        decisionWork.spend(value.length);
        return (cs ? s : memo.lower(s)).startsWith(value);
      };
    case 'STRING_ENDS_WITH':
      return (raw) => {
        const s = toText(raw);
        if (s === null || s.length < asciiLength) return false;
        decisionWork.spend(value.length);
        return (cs ? s : memo.lower(s)).endsWith(value);
      };
    default:
      return NEVER;
  }
}

function numberTest(condition: MatchCondition, o: Opt): ValueTest {
  if (condition === 'NUMBER_BETWEEN') {
    const min = o.min as number;
    const max = o.max as number;
    return (raw) => {
      const n = toNumber(raw);
      return n >= min && n <= max;
    };
  }
  const v = o.value as number;
  // NaN (non-numeric input) fails every comparison, which is the documented "no match".
  if (condition === 'NUMBER_GREATER_THAN') return (raw) => toNumber(raw) > v;
  if (condition === 'NUMBER_LESS_THAN') return (raw) => toNumber(raw) < v;
  return (raw) => toNumber(raw) === v;
}

function semverTest(condition: MatchCondition, o: Opt): ValueTest {
  const target = parseSemver(o.value as string);
  if (target === null) return NEVER;
  return (raw) => {
    if (typeof raw !== 'string') return false;
    const v = parseSemver(raw);
    if (v === null) return false;
    const c = compareSemver(v, target);
    return condition === 'SEMVER_EQUALS' ? c === 0 : condition === 'SEMVER_GREATER_THAN' ? c > 0 : c < 0;
  };
}

function jsonTest(o: Opt): ValueTest {
  const cs = o.caseSensitive === true;
  const key = cs ? (o.key as string) : (o.key as string).toLowerCase();
  const value = o.value === undefined ? null : cs ? (o.value as string) : (o.value as string).toLowerCase();
  return (raw) => {
    if (typeof raw !== 'string' || raw === '') return false;
    const index = queryIndex(raw);
    const values = (cs ? index.exact : index.folded).get(key);
    return values !== undefined && (value === null || values.has(value));
  };
}

function timeTest(condition: MatchCondition, o: Opt, preset: boolean): ValueTest {
  const tz = typeof o.timezone === 'string' ? o.timezone : 'UTC';
  const range = condition === 'BETWEEN_TIME';
  const a = parseDateTime((range ? o.from : o.value) as string);
  const b = range ? parseDateTime(o.to as string) : null;
  if (a === null || (range && b === null)) return NEVER;
  if (a.kind === 'timeOfDay') {
    if (!preset) return NEVER;
    const from = a.ms;
    const to = b !== null && b.kind === 'timeOfDay' ? b.ms : 0;
    if (condition === 'BEFORE_TIME') return (raw) => typeof raw === 'number' && timeOfDayMs(raw, tz) < from;
    if (condition === 'AFTER_TIME') return (raw) => typeof raw === 'number' && timeOfDayMs(raw, tz) > from;
    // A daily window may wrap midnight: 22:00–06:00.
    return (raw) => {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return false;
      const t = timeOfDayMs(raw, tz);
      return from <= to ? t >= from && t < to : t >= from || t < to;
    };
  }
  const from = resolveInstant(a, tz);
  const to = b !== null && b.kind === 'instant' ? resolveInstant(b, tz) : NaN;
  const instant = preset ? (raw: unknown): number => (typeof raw === 'number' ? raw : NaN) : (raw: unknown): number => toInstant(raw, tz);
  if (condition === 'BEFORE_TIME') return (raw) => instant(raw) < from;
  if (condition === 'AFTER_TIME') return (raw) => instant(raw) > from;
  return (raw) => {
    const t = instant(raw);
    return t >= from && t < to;
  };
}

/**
 * Builds the test of one condition with its (validated) options. `preset` is the preset the
 * rule reads, or null for a custom attribute: it changes what the raw value is (the page URL
 * for QUERY_PARAMETERS, `now` for DATE_AND_TIME).
 */
export function compileValueTest(
  condition: MatchCondition,
  options: MatchOptions | undefined,
  preset: PresetKey | null,
  memo: LowerMemo = new LowerMemo(),
): ValueTest {
  const o = (options ?? {}) as unknown as Opt;
  switch (condition) {
    case 'HAS_ANY_VALUE':
      if (preset === 'QUERY_PARAMETERS') return (raw) => typeof raw === 'string' && queryIndex(raw).pairs > 0;
      return (raw) => !isMissing(raw);
    case 'IS_TRUE':
      return isTrueValue;
    case 'IS_FALSE':
      return isFalseValue;
    case 'STRING_EQUALS':
    case 'CONTAINS_SUBSTRING':
    case 'STRING_STARTS_WITH':
    case 'STRING_ENDS_WITH':
    case 'STRING_IN_LIST':
      return textTest(condition, o, memo);
    case 'NUMBER_EQUAL_TO':
    case 'NUMBER_GREATER_THAN':
    case 'NUMBER_LESS_THAN':
    case 'NUMBER_BETWEEN':
      return numberTest(condition, o);
    case 'MATCHES_REGEX': {
      const re = sharedSafeRegex(o.pattern as string, o.caseSensitive !== true);
      return (raw) => {
        const s = toText(raw);
        return s !== null && re.test(s);
      };
    }
    case 'SEMVER_EQUALS':
    case 'SEMVER_GREATER_THAN':
    case 'SEMVER_LESS_THAN':
      return semverTest(condition, o);
    case 'JSON_MATCH':
      return jsonTest(o);
    case 'BEFORE_TIME':
    case 'AFTER_TIME':
    case 'BETWEEN_TIME':
      return timeTest(condition, o, preset === 'DATE_AND_TIME');
  }
}
