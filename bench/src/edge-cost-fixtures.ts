/**
 * The costliest project the default limits allow (ADR 0080), as data: 100 attributes, 100
 * audiences of 50 rules (OR, none of which matches, so nothing short-circuits) and 100 active
 * experiences, one per audience; its regex rules fill the project's regex budget, and every other
 * rule is of a kind whose cost grows with the value it reads. The visitor brings the largest
 * inputs the edge accepts: 1 KB in every stored attribute, about 8 KB of x-live-attributes, a
 * 2 KB referrer and page URL, a 512-character user-agent.
 */
import { MAX_PROJECT_REGEX_PROGRAM, regexProgramSize, type RuleCombination } from '@tailor/engine';

type Json = Record<string, unknown>;

export const ATTRIBUTES = 100;
export const AUDIENCES = 100;
export const RULES = 50;
export const VALUE_BYTES = 1024;

const ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'America/Sao_Paulo', 'Asia/Kolkata', 'Africa/Cairo', 'Pacific/Auckland'];

export const attributeKey = (n: number): string => `a${n}`;

const A = 'a'.repeat(VALUE_BYTES);
/** What each attribute holds: long runs of "a", which keep the regexes' states alive and the searches comparing. */
// List entries are at most 1,000 characters: a value as long compares each entry in full.
const values: Record<number, string> = { 2: 'a'.repeat(1000), 4: '2026-05-05T10:00:00' };
export const valueOf = (n: number): string => values[n] ?? A;

/** `text` padded with "a"s in front to `length` characters. */
const padded = (text: string, length: number): string => 'a'.repeat(length - text.length) + text;

function custom(uid: string, condition: string, options: Json): Json {
  return { __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: uid }, attributeMatchCondition: condition, attributeMatchOptions: options, invertCondition: false };
}
function preset(ref: string, condition: string, options: Json): Json {
  return { __type: 'Rule', attribute: { __type: 'PresetAttributeReference', ref }, attributeMatchCondition: condition, attributeMatchOptions: options, invertCondition: false };
}

/** A pattern that keeps 40 NFA states alive on every "a" and never matches: the costliest per step of input. */
export const regexPattern = (i: number, k: number): string => `${'a?'.repeat(40)}z${i}x${k}`;
const regexRule = (uids: readonly string[], i: number, k: number) => custom(uids[0] as string, 'MATCHES_REGEX', { __type: 'RegexMatchOptions', pattern: regexPattern(i, k), caseSensitive: true });

/** The other rules: each the costliest case measured of its kind (distinct, so that no memo helps). */
function otherRule(uids: readonly string[], i: number, k: number): Json {
  const tag = `${i}-${k}`;
  switch (k % 7) {
    case 0:
      return custom(uids[1] as string, 'CONTAINS_SUBSTRING', { __type: 'StringMatchOptions', value: padded(`b${tag}`, 1000), caseSensitive: true });
    case 1:
      return preset('REFERRER', 'CONTAINS_SUBSTRING', { __type: 'StringMatchOptions', value: padded(`b${tag}`, 1000) });
    case 2:
      return preset('QUERY_PARAMETERS', 'JSON_MATCH', { __type: 'JsonMatchOptions', key: `k${tag}` });
    case 3:
      return preset('DATE_AND_TIME', 'BETWEEN_TIME', { __type: 'DateTimeRangeMatchOptions', from: '03:00', to: '03:01', timezone: ZONES[(i + k) % ZONES.length] });
    case 4:
      return custom(uids[2] as string, 'STRING_IN_LIST', {
        __type: 'StringListMatchOptions',
        values: Array.from({ length: 8 }, (_, j) => padded(`b${tag}-${j}`, 1000)),
        caseSensitive: true,
      });
    case 5:
      return custom(uids[3] as string, 'STRING_ENDS_WITH', { __type: 'StringMatchOptions', value: padded(`b${tag}`, 1000), caseSensitive: true });
    default:
      return custom(uids[4] as string, 'AFTER_TIME', { __type: 'DateTimeMatchOptions', value: '2999-01-01T00:00:00', timezone: ZONES[(i * 3 + k) % ZONES.length] });
  }
}

const sizeOf = (rule: Json): number => regexProgramSize([{ __type: 'RuleCombination', combinationType: 'OR', rules: [rule] } as unknown as RuleCombination]);

/** The 100 definitions: regex rules spread evenly over the audiences until the project's regex budget is full. */
export function worstDefinitions(uids: readonly string[]): { definitions: Json[]; regexRules: number; regexInstructions: number } {
  const perAudience = Math.ceil(MAX_PROJECT_REGEX_PROGRAM / sizeOf(regexRule(uids, 99, 49)) / AUDIENCES);
  let instructions = 0;
  let regexRules = 0;
  const definitions: Json[] = [];
  for (let i = 0; i < AUDIENCES; i++) {
    const rules = Array.from({ length: RULES }, (_, k) => {
      const regex = regexRule(uids, i, k);
      const size = sizeOf(regex);
      if (k >= perAudience || instructions + size > MAX_PROJECT_REGEX_PROGRAM) return otherRule(uids, i, k);
      instructions += size;
      regexRules += 1;
      return regex;
    });
    definitions.push({ __type: 'RuleCombination', combinationType: 'OR', rules });
  }
  return { definitions, regexRules, regexInstructions: instructions };
}

/** The worst visitor's request headers: the largest each one may be. */
export function worstHeaders(projectUid: string, visitorUid: string): Record<string, string> {
  // Seven 1 KB values of the project's own attributes: as much as fits in 8 KB of JSON.
  const live = JSON.stringify(Object.fromEntries(Array.from({ length: 7 }, (_, n) => [attributeKey(n + 1), valueOf(n + 1)])));
  const query = 'a=b&'.repeat(509);
  return {
    'x-project-uid': projectUid,
    'x-cs-personalize-user-uid': visitorUid,
    'x-live-attributes': live,
    referer: `https://r.example/${'a'.repeat(2048 - 18)}`,
    'x-page-url': `https://p.example/?${query}`.slice(0, 2048),
    'user-agent': `Mozilla/5.0 (X11; Linux x86_64) ${'x'.repeat(480)}`,
  };
}

/** The stored profile: every attribute at its largest. */
export function worstProfile(): Record<string, string> {
  return Object.fromEntries(Array.from({ length: ATTRIBUTES }, (_, n) => [attributeKey(n), valueOf(n)]));
}
