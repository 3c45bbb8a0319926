import { unstorableTextMessage } from '@tailor/contract';
import type { ErrorIssue } from './errors.js';

// A key JavaScript objects cannot keep as data: assigning it sets the prototype instead, so zod,
// spreads and maps would drop it or be poisoned by it (ADR 0081).
const PROTO_KEY = '__proto__';

// Where a value sits, as a chain to its parent: paths are only spelled out for values reported, so
// a deeply nested body costs no quadratic string building.
interface Place {
  parent: Place | undefined;
  key: string | number;
}

// The path style of docs/api-conventions.md, "Errors", as http/error-handler.ts writes schema failures.
function pathOf(place: Place | undefined, path: string, rootName: string): string {
  const keys: Array<string | number> = [];
  for (let at = place; at !== undefined; at = at.parent) keys.push(at.key);
  let out = path;
  for (const key of keys.reverse()) {
    if (typeof key === 'number' || /^\d+$/.test(key)) out += `[${key}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out === '' ? rootName : out;
}

function keyMessage(key: string): string | undefined {
  if (key === PROTO_KEY) return `expected a key other than "${PROTO_KEY}", received it`;
  return unstorableTextMessage(key, `the key ${JSON.stringify(key)}`);
}

// Enough to fix a request by; a body of a million bad strings must not answer a million messages.
const MAX_ISSUES = 100;

/**
 * Every string, and every object key, in `value` that Tailor cannot store as sent: text with NUL
 * or an unpaired surrogate, and the key `__proto__` (at most 100). Each issue names the JSON path
 * of the value (of the object holding a key) below `path`, the path of `value` itself ('' for a
 * body's root, which `rootName` then names: `body`, `querystring`, …).
 */
export function unstorableInputIssues(value: unknown, path: string, rootName = path): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const report = (place: Place | undefined, message: string | undefined) => {
    if (message !== undefined) issues.push({ path: pathOf(place, path, rootName), message });
  };
  // A loop, not recursion: a body may nest deeper than the call stack allows.
  const pending: Array<[unknown, Place | undefined]> = [[value, undefined]];
  for (let next = pending.pop(); next !== undefined && issues.length < MAX_ISSUES; next = pending.pop()) {
    const [item, place] = next;
    if (typeof item === 'string') report(place, unstorableTextMessage(item));
    else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i -= 1) pending.push([item[i], { parent: place, key: i }]);
    } else if (typeof item === 'object' && item !== null) {
      const entries = Object.entries(item);
      for (const [key] of entries) report(place, keyMessage(key));
      for (const [key, child] of entries.reverse()) pending.push([child, { parent: place, key }]);
    }
  }
  return issues.slice(0, MAX_ISSUES);
}

// JSON.parse refuses raw control characters in strings and decoded UTF-8 holds no lone surrogate,
// so parsed JSON can only hold them through `\u` escapes, and the key `__proto__` only literally or
// through escapes too. Most documents have neither and skip the walk.
const MAY_BE_UNSTORABLE = /\\u|__proto__/;

/** `unstorableInputIssues` of a JSON document parsed from `text`, cheap when the text cannot hold any. */
export function unstorableJsonIssues(text: string, parsed: unknown, path: string, rootName = path): ErrorIssue[] {
  return MAY_BE_UNSTORABLE.test(text) ? unstorableInputIssues(parsed, path, rootName) : [];
}
