// Parser for Tailor's safe regular-expression subset (ADR 0010). It accepts what a Thompson NFA
// can run in linear time and rejects, with a reason, everything that needs backtracking.

/** Sorted, non-overlapping inclusive UTF-16 code-unit ranges: [lo0, hi0, lo1, hi1, …]. */
export type Ranges = number[];

/** Regex syntax tree. */
export type Node =
  | { t: 'set'; ranges: Ranges }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'repeat'; node: Node; min: number; max: number | null }
  | { t: 'bol' }
  | { t: 'eol' };

/** Why a pattern was rejected and where. */
export class RegexSyntaxError {
  constructor(
    readonly message: string,
    readonly index: number,
  ) {}
}

/** Longest pattern accepted; keeps compiled programs small. */
export const MAX_PATTERN_LENGTH = 1000;
const MAX_REPEAT = 1000;
const MAX_CODE = 0xffff;

const DIGIT: Ranges = [48, 57];
const WORD: Ranges = [48, 57, 65, 90, 95, 95, 97, 122];
const SPACE: Ranges = normalize([9, 13, 32, 32, 160, 160, 5760, 5760, 8192, 8202, 8232, 8233, 8239, 8239, 8287, 8287, 12288, 12288, 65279, 65279]);
const LINE_TERMINATORS: Ranges = [10, 10, 13, 13, 8232, 8233];

/** Sorts and merges ranges. */
export function normalize(r: Ranges): Ranges {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i + 1 < r.length; i += 2) pairs.push([r[i] as number, r[i + 1] as number]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] as number) + 1) out[last] = Math.max(out[last] as number, hi);
    else out.push(lo, hi);
  }
  return out;
}

/** Complement over the UTF-16 code-unit space. */
export function complement(r: Ranges): Ranges {
  const n = normalize(r);
  const out: Ranges = [];
  let next = 0;
  for (let i = 0; i < n.length; i += 2) {
    if ((n[i] as number) > next) out.push(next, (n[i] as number) - 1);
    next = (n[i + 1] as number) + 1;
  }
  if (next <= MAX_CODE) out.push(next, MAX_CODE);
  return out;
}

/** Parses a pattern; throws RegexSyntaxError. */
export function parseRegex(pattern: string, caseInsensitive = false): Node {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new RegexSyntaxError(`pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`, 0);
  }
  let i = 0;
  const peek = (): string | undefined => pattern[i];
  const fail = (msg: string, at = i): never => {
    throw new RegexSyntaxError(msg, at);
  };

  function parseAlt(depth: number): Node {
    if (depth > 50) fail('groups are nested more than 50 deep');
    const items: Node[] = [parseSeq(depth)];
    while (peek() === '|') {
      i++;
      items.push(parseSeq(depth));
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'alt', items };
  }

  function parseSeq(depth: number): Node {
    const items: Node[] = [];
    for (;;) {
      const c = peek();
      if (c === undefined || c === '|' || c === ')') break;
      const atom = parseAtom(depth);
      items.push(parseQuantifier(atom));
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'seq', items };
  }

  function parseQuantifier(atom: Node): Node {
    const c = peek();
    let min: number;
    let max: number | null;
    const at = i;
    if (c === '*') [min, max] = [0, null];
    else if (c === '+') [min, max] = [1, null];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(pattern.slice(i, i + 12));
      if (m === null) return fail('a "{" must start a quantifier such as {2} or {2,5}; write \\{ for a literal brace');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? null : Number(m[3]);
      if (min > MAX_REPEAT || (max !== null && max > MAX_REPEAT)) fail(`repeat counts above ${MAX_REPEAT} are not supported`, at);
      if (max !== null && max < min) fail(`quantifier {${min},${max}} has its numbers out of order`, at);
      i += m[0].length - 1;
    } else return atom;
    i++;
    if (atom.t === 'bol' || atom.t === 'eol') fail('nothing to repeat before this quantifier', at);
    if (peek() === '?') i++; // lazy and greedy accept the same strings; only the match position differs
    if (peek() === '*' || peek() === '+' || peek() === '?' || peek() === '{') fail('nothing to repeat: two quantifiers in a row');
    return { t: 'repeat', node: atom, min, max };
  }

  function parseAtom(depth: number): Node {
    const start = i;
    const c = pattern[i++] as string;
    switch (c) {
      case '(': {
        if (peek() === '?') {
          const rest = pattern.slice(i, i + 3);
          if (rest.startsWith('?:')) i += 2;
          else if (rest.startsWith('?<') && rest[2] !== '=' && rest[2] !== '!') {
            const close = pattern.indexOf('>', i);
            if (close < 0) fail('unterminated group name');
            i = close + 1;
          } else fail('lookahead and lookbehind assertions are not supported (they need a backtracking engine)', start);
        }
        const inner = parseAlt(depth + 1);
        if (peek() !== ')') fail('missing ")" to close the group opened', start);
        i++;
        return inner;
      }
      case ')':
        return fail('unmatched ")"', start);
      case '[':
        return parseClass(start);
      case '.':
        return { t: 'set', ranges: complement(LINE_TERMINATORS) };
      case '^':
        return { t: 'bol' };
      case '$':
        return { t: 'eol' };
      case '*':
      case '+':
      case '?':
      case '{':
        return fail('nothing to repeat before this quantifier', start);
      case '}':
      case ']':
        return fail(`unescaped "${c}"; write \\${c} for the literal character`, start);
      case '\\': {
        const r = parseEscape(false);
        return { t: 'set', ranges: caseInsensitive ? foldCase(r) : r };
      }
      default: {
        const code = c.charCodeAt(0);
        return { t: 'set', ranges: caseInsensitive ? foldCase([code, code]) : [code, code] };
      }
    }
  }

  function parseEscape(inClass: boolean): Ranges {
    const at = i - 1;
    const c = pattern[i++];
    if (c === undefined) return fail('pattern ends with a lone backslash', at);
    switch (c) {
      case 'd': return DIGIT;
      case 'D': return complement(DIGIT);
      case 'w': return WORD;
      case 'W': return complement(WORD);
      case 's': return SPACE;
      case 'S': return complement(SPACE);
      case 't': return [9, 9];
      case 'n': return [10, 10];
      case 'v': return [11, 11];
      case 'f': return [12, 12];
      case 'r': return [13, 13];
      case '0': return [0, 0];
      case 'x':
      case 'u': {
        const len = c === 'x' ? 2 : 4;
        const hex = pattern.slice(i, i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail(`\\${c} must be followed by ${len} hex digits`, at);
        i += len;
        const code = parseInt(hex, 16);
        return [code, code];
      }
      case 'b':
        if (inClass) return [8, 8];
        return fail('word boundaries (\\b) are not supported', at);
      case 'B':
        return fail('word boundaries (\\B) are not supported', at);
      default:
        if (/[1-9]/.test(c) || c === 'k') return fail('backreferences are not supported (they need a backtracking engine)', at);
        if (/[A-Za-z]/.test(c)) return fail(`unknown escape \\${c}`, at);
        return [c.charCodeAt(0), c.charCodeAt(0)];
    }
  }

  function classAtom(): { ranges: Ranges; single: number | null } {
    const c = pattern[i++] as string;
    if (c === '\\') {
      const r = parseEscape(true);
      return { ranges: r, single: r.length === 2 && r[0] === r[1] ? (r[0] as number) : null };
    }
    const code = c.charCodeAt(0);
    return { ranges: [code, code], single: code };
  }

  function parseClass(start: number): Node {
    let negate = false;
    if (peek() === '^') {
      negate = true;
      i++;
    }
    const ranges: Ranges = [];
    for (;;) {
      const c = peek();
      if (c === undefined) return fail('missing "]" to close the character class opened', start);
      if (c === ']') {
        i++;
        break;
      }
      const lo = classAtom();
      if (peek() === '-' && pattern[i + 1] !== undefined && pattern[i + 1] !== ']') {
        const dash = i;
        i++;
        const hi = classAtom();
        if (lo.single === null || hi.single === null) fail('a class shorthand such as \\d cannot bound a range', dash);
        if ((lo.single as number) > (hi.single as number)) fail('character range is out of order', dash);
        ranges.push(lo.single as number, hi.single as number);
      } else ranges.push(...lo.ranges);
    }
    const merged = caseInsensitive ? foldCase(ranges) : normalize(ranges);
    return { t: 'set', ranges: negate ? complement(merged) : merged };
  }

  const tree = parseAlt(0);
  if (i < pattern.length) fail('unmatched ")"');
  return tree;
}

/**
 * Adds the other-case letters of a set. Folding happens before a class is negated, as in JS.
 * Small ranges fold every code unit; wide ones fold ASCII and Latin-1 only (documented limit).
 */
export function foldCase(r: Ranges): Ranges {
  const out = r.slice();
  for (let k = 0; k + 1 < r.length; k += 2) {
    const lo = r[k] as number;
    const hi = r[k + 1] as number;
    const end = hi - lo <= 256 ? hi : Math.min(hi, 0xff);
    for (let c = lo; c <= end; c++) {
      const ch = String.fromCharCode(c);
      for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
        if (v.length === 1 && v !== ch) out.push(v.charCodeAt(0), v.charCodeAt(0));
      }
    }
  }
  return normalize(out);
}
