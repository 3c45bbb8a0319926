import { DecisionMemo, decisionWork, QUERY_PARSE_WORK_PER_CHAR } from './decision-work.js';
import { queryPairs } from './values.js';

/** A URL's query parameters as JSON_MATCH reads them: key → values, as sent and lower-cased. */
export interface QueryIndex {
  readonly pairs: number;
  readonly exact: ReadonlyMap<string, ReadonlySet<string>>;
  readonly folded: ReadonlyMap<string, ReadonlySet<string>>;
}

const indexes = new DecisionMemo<string, QueryIndex>(8);

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let values = map.get(key);
  if (values === undefined) {
    values = new Set();
    map.set(key, values);
  }
  values.add(value);
}

/**
 * The index of `url`, built at most once per decision: every JSON_MATCH rule then costs two
 * lookups rather than a pass over every pair (a 2 KB URL has hundreds), whatever the rule count.
 */
export function queryIndex(url: string): QueryIndex {
  const known = indexes.get(url);
  if (known !== undefined) return known;
  decisionWork.spend(url.length * QUERY_PARSE_WORK_PER_CHAR);
  const exact = new Map<string, Set<string>>();
  const folded = new Map<string, Set<string>>();
  const pairs = queryPairs(url);
  for (const [k, v] of pairs) {
    add(exact, k, v);
    add(folded, k.toLowerCase(), v.toLowerCase());
  }
  const index = { pairs: pairs.length, exact, folded };
  indexes.set(url, index);
  return index;
}
