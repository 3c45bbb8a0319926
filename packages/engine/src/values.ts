import { parseDateTime, resolveInstant } from './datetime.js';
import { DATE_PARSE_WORK, decisionWork, memoPer, type DecisionMemo } from './decision-work.js';

// Coercions of visitor values. Edge clients send strings, numbers and booleans, and often send
// numbers and booleans as strings; these rules are the same for every condition (ADR 0010).

/** A value is missing when absent, empty, or not a string/number/boolean. */
export function isMissing(raw: unknown): boolean {
  if (raw === undefined || raw === null || raw === '') return true;
  const t = typeof raw;
  if (t === 'number') return !Number.isFinite(raw);
  return t !== 'string' && t !== 'boolean';
}

/** Text form of a value: numbers in JS notation, booleans as "true"/"false". */
export function toText(raw: unknown): string | null {
  if (typeof raw === 'string') return raw === '' ? null : raw;
  if (typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : null;
  if (typeof raw === 'boolean') return raw ? 'true' : 'false';
  return null;
}

const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Number form: numbers as is, numeric strings ("42", " -1.5e3 ") parsed; anything else NaN. */
export function toNumber(raw: unknown): number {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : NaN;
  if (typeof raw === 'string' && raw.length <= 64 && NUMERIC.test(raw)) {
    const n = Number(raw);
    return Number.isFinite(n) ? n : NaN;
  }
  return NaN;
}

/** true, false, or null for values that are neither (only booleans and "true"/"false" count). */
export function toBoolean(raw: unknown): boolean | null {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const s = raw.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return null;
}

// A decision's date attribute values by zone: every date rule on an attribute parses the same text.
const instants = new Map<string, DecisionMemo<string, number>>();

/** Epoch ms of a date attribute value: a number is epoch ms; a string is ISO-8601 read in `timezone` when it has no offset. */
export function toInstant(raw: unknown, timezone: string): number {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : NaN;
  if (typeof raw !== 'string') return NaN;
  const memo = memoPer<number, string>(instants, timezone, 64);
  const known = memo.get(raw);
  if (known !== undefined) return known;
  decisionWork.spend(DATE_PARSE_WORK);
  const spec = parseDateTime(raw);
  const instant = spec === null || spec.kind !== 'instant' ? NaN : resolveInstant(spec, timezone);
  memo.set(raw, instant);
  return instant;
}

let lastUrl: string | null = null;
let lastPairs: ReadonlyArray<readonly [string, string]> = [];

function decode(s: string): string {
  const plus = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  if (!plus.includes('%')) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/**
 * Query parameters of a page URL as decoded [key, value] pairs, in order. Accepts absolute
 * URLs, paths and bare query strings. The last URL is cached because every JSON_MATCH rule of a
 * decision reads the same one.
 */
export function queryPairs(url: string): ReadonlyArray<readonly [string, string]> {
  if (url === lastUrl) return lastPairs;
  const q = url.indexOf('?');
  const hash = url.indexOf('#');
  const pairs: Array<readonly [string, string]> = [];
  if (q >= 0 && (hash < 0 || q < hash)) {
    const query = url.slice(q + 1, hash < 0 ? undefined : hash);
    for (const part of query.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      pairs.push(eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
    }
  }
  lastUrl = url;
  lastPairs = pairs;
  return pairs;
}
