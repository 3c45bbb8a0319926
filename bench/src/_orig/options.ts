import { CONDITIONS } from './conditions.js';
import { parseDateTime, isValidTimezone, resolveInstant } from './datetime.js';
import { describeValue, isRecord } from './describe.js';
import { compileSafeRegex } from './regex/nfa.js';
import { RegexSyntaxError } from './regex/parse.js';
import { parseSemver } from './semver.js';
import type { MatchCondition, MatchOptions, ValidationIssue } from './types.js';

/** Longest string option value and list accepted. */
export const MAX_STRING_OPTION = 1000;
export const MAX_LIST_ENTRIES = 1000;

type Out = Record<string, unknown>;

/**
 * Checks the options of one rule and returns their normalized copy (fields in a fixed order,
 * unknown keys dropped), or undefined for conditions without options or when invalid.
 * `timeOfDayAllowed` is false for custom attributes: their values are instants, not clocks.
 */
export function validateOptions(
  condition: MatchCondition,
  raw: unknown,
  path: string,
  issues: ValidationIssue[],
  timeOfDayAllowed: boolean,
): MatchOptions | undefined {
  const meta = CONDITIONS[condition];
  if (meta.options === 'none' || meta.optionsType === null) return undefined;
  const expectedType = meta.optionsType;
  const before = issues.length;
  const issue = (sub: string, code: string, message: string): void => {
    issues.push({ path: sub === '' ? path : `${path}.${sub}`, code, message });
  };
  if (!isRecord(raw)) {
    issue('', 'MISSING_OPTIONS', `valid matchOptions is required for ${condition} condition: expected an object with __type "${expectedType}", received ${describeValue(raw)}`);
    return undefined;
  }
  if (raw.__type !== undefined && raw.__type !== expectedType) {
    issue('__type', 'INVALID_OPTIONS', `expected options of __type "${expectedType}" for ${condition}, received ${describeValue(raw.__type)}`);
  }
  const out: Out = { __type: expectedType };

  const str = (key: string, optional = false): void => {
    const v = raw[key];
    if (v === undefined && optional) return;
    if (typeof v !== 'string' || v.length === 0 || v.length > MAX_STRING_OPTION) {
      issue(key, 'INVALID_OPTIONS', `expected a non-empty string of at most ${MAX_STRING_OPTION} characters, received ${describeValue(v)}`);
      return;
    }
    out[key] = v;
  };
  const num = (key: string): void => {
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      issue(key, 'INVALID_OPTIONS', `expected a finite number, received ${describeValue(v)}`);
      return;
    }
    out[key] = v;
  };
  const bool = (key: string): void => {
    const v = raw[key];
    if (v === undefined) return;
    if (typeof v !== 'boolean') issue(key, 'INVALID_OPTIONS', `expected true or false, received ${describeValue(v)}`);
    else out[key] = v;
  };
  const timezone = (): string => {
    const v = raw.timezone;
    if (v === undefined) return 'UTC';
    if (typeof v !== 'string' || v.length > 64 || !isValidTimezone(v)) {
      issue('timezone', 'INVALID_TIMEZONE', `expected an IANA time-zone name such as "Europe/Paris" or "UTC", received ${describeValue(v)}`);
      return 'UTC';
    }
    return v;
  };
  const dateTime = (key: string): ReturnType<typeof parseDateTime> => {
    const v = raw[key];
    const parsed = typeof v === 'string' ? parseDateTime(v) : null;
    if (parsed === null || (!timeOfDayAllowed && parsed.kind === 'timeOfDay')) {
      const forms = timeOfDayAllowed ? '"2025-11-28", "2025-11-28T09:30:00Z", "2025-11-28T09:30+01:00" or a time of day "09:30"' : '"2025-11-28", "2025-11-28T09:30:00Z" or "2025-11-28T09:30+01:00"';
      issue(key, 'INVALID_DATE', `expected an ISO-8601 date or date-time such as ${forms}, received ${describeValue(v)}`);
      return null;
    }
    out[key] = v;
    return parsed;
  };

  switch (meta.options) {
    case 'string':
      str('value');
      bool('caseSensitive');
      break;
    case 'stringList': {
      const v = raw.values;
      if (!Array.isArray(v) || v.length === 0 || v.length > MAX_LIST_ENTRIES) {
        issue('values', 'INVALID_OPTIONS', `expected a list of 1 to ${MAX_LIST_ENTRIES} strings, received ${describeValue(v)}`);
      } else {
        const values: string[] = [];
        v.forEach((item: unknown, k: number) => {
          if (typeof item !== 'string' || item.length === 0 || item.length > MAX_STRING_OPTION) {
            issue(`values[${k}]`, 'INVALID_OPTIONS', `expected a non-empty string, received ${describeValue(item)}`);
          } else values.push(item);
        });
        out.values = values;
      }
      bool('caseSensitive');
      break;
    }
    case 'number':
      num('value');
      break;
    case 'numberRange':
      num('min');
      num('max');
      if (typeof out.min === 'number' && typeof out.max === 'number' && out.min > out.max) {
        issue('max', 'INVALID_OPTIONS', `expected max to be at least min (${out.min}), received ${out.max}`);
      }
      break;
    case 'regex': {
      str('pattern');
      bool('caseSensitive');
      if (typeof out.pattern === 'string') {
        try {
          compileSafeRegex(out.pattern, out.caseSensitive !== true);
        } catch (e) {
          const why = e instanceof RegexSyntaxError ? `${e.message} (at character ${e.index + 1})` : 'the pattern expands to too large a program; use smaller repeat counts';
          issue('pattern', 'INVALID_REGEX', `expected a regular expression in Tailor's linear-time subset: ${why}`);
        }
      }
      break;
    }
    case 'semver': {
      const v = raw.value;
      if (typeof v !== 'string' || parseSemver(v) === null) {
        issue('value', 'INVALID_SEMVER', `expected a semantic version MAJOR.MINOR.PATCH such as "2.1.0" or "2.1.0-beta.1", received ${describeValue(v)}`);
      } else out.value = v;
      break;
    }
    case 'json':
      str('key');
      str('value', true);
      bool('caseSensitive');
      break;
    case 'dateTime':
      dateTime('value');
      if (raw.timezone !== undefined) out.timezone = timezone();
      break;
    case 'dateTimeRange': {
      const from = dateTime('from');
      const to = dateTime('to');
      const tz = timezone();
      if (raw.timezone !== undefined) out.timezone = tz;
      if (from !== null && to !== null) {
        if (from.kind !== to.kind) {
          issue('to', 'INVALID_OPTIONS', `expected "from" and "to" to be both dates or both times of day, received ${describeValue(raw.from)} and ${describeValue(raw.to)}`);
        } else if (from.kind === 'instant' && to.kind === 'instant' && resolveInstant(from, tz) >= resolveInstant(to, tz)) {
          issue('to', 'INVALID_OPTIONS', `expected "to" to be later than "from" (${String(raw.from)}), received ${describeValue(raw.to)}`);
        }
      }
      break;
    }
  }
  return issues.length === before ? (out as unknown as MatchOptions) : undefined;
}
