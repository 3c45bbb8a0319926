import { parseRegex, type Node, type Ranges } from './parse.js';
import { decisionWork, REGEX_STEP_WORK } from '../decision-work.js';

// Thompson's construction and simulation: the set of live NFA states advances one input code
// unit at a time, so matching is O(pattern × input) whatever the pattern — no backtracking.

const CHAR = 0;
const SPLIT = 1;
const JMP = 2;
const BOL = 3;
const EOL = 4;
const MATCH = 5;

/** Largest program accepted (instructions); bounded repeats are expanded, so they count. */
export const MAX_PROGRAM_SIZE = 20_000;
/** Inputs longer than this never match MATCHES_REGEX: no value the edge accepts is longer. */
export const MAX_INPUT_LENGTH = 2048;
/** What a test costs before reading any input (setup, the first closure), in steps. */
const TEST_OVERHEAD_STEPS = 8;

interface CharTest {
  ascii: Uint32Array;
  ranges: Ranges;
}

/** A compiled, reusable, linear-time matcher. Not re-entrant, but the engine never re-enters it. */
export interface SafeRegex {
  test(input: string): boolean;
  /** Instructions of the compiled program: what a project's regex budget counts. */
  readonly size: number;
}

class Program {
  op: number[] = [];
  x: number[] = [];
  y: number[] = [];
  sets: Array<CharTest | null> = [];
  /** One test per distinct class: a repeat expands its node many times, and they share it. */
  tests = new Map<string, CharTest>();

  emit(op: number, x = -1, y = -1, set: CharTest | null = null): number {
    if (this.op.length >= MAX_PROGRAM_SIZE) throw new RangeError('program too large');
    this.op.push(op);
    this.x.push(x);
    this.y.push(y);
    this.sets.push(set);
    return this.op.length - 1;
  }
}

function charTest(ranges: Ranges): CharTest {
  const ascii = new Uint32Array(4);
  for (let k = 0; k + 1 < ranges.length; k += 2) {
    for (let c = ranges[k] as number; c <= Math.min(ranges[k + 1] as number, 127); c++) {
      ascii[c >> 5] = (ascii[c >> 5] as number) | (1 << (c & 31));
    }
  }
  return { ascii, ranges };
}

// A binary search, so that one step costs about the same whatever the class: a class of 500
// ranges scanned in order made a step about 25× dearer than the budget counts it.
function accepts(t: CharTest, c: number): boolean {
  if (c < 128) return ((t.ascii[c >> 5] as number) & (1 << (c & 31))) !== 0;
  const r = t.ranges;
  let lo = 0;
  let hi = (r.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < (r[2 * mid] as number)) hi = mid - 1;
    else if (c > (r[2 * mid + 1] as number)) lo = mid + 1;
    else return true;
  }
  return false;
}

// Emits code for `node`; returns nothing, appending so that the next instruction follows it.
function gen(p: Program, node: Node): void {
  switch (node.t) {
    case 'set': {
      const key = node.ranges.join();
      let test = p.tests.get(key);
      if (test === undefined) {
        test = charTest(node.ranges);
        p.tests.set(key, test);
      }
      p.emit(CHAR, p.op.length + 1, -1, test);
      return;
    }
    case 'bol':
      p.emit(BOL, p.op.length + 1);
      return;
    case 'eol':
      p.emit(EOL, p.op.length + 1);
      return;
    case 'seq':
      for (const item of node.items) gen(p, item);
      return;
    case 'alt': {
      const jumps: number[] = [];
      for (let k = 0; k < node.items.length - 1; k++) {
        const split = p.emit(SPLIT);
        p.x[split] = p.op.length;
        gen(p, node.items[k] as Node);
        jumps.push(p.emit(JMP));
        p.y[split] = p.op.length;
      }
      gen(p, node.items[node.items.length - 1] as Node);
      for (const j of jumps) p.x[j] = p.op.length;
      return;
    }
    case 'repeat': {
      for (let k = 0; k < node.min; k++) gen(p, node.node);
      if (node.max === null) {
        const split = p.emit(SPLIT);
        p.x[split] = p.op.length;
        gen(p, node.node);
        p.emit(JMP, split);
        p.y[split] = p.op.length;
        return;
      }
      const splits: number[] = [];
      for (let k = node.min; k < node.max; k++) {
        const split = p.emit(SPLIT);
        p.x[split] = p.op.length;
        splits.push(split);
        gen(p, node.node);
      }
      for (const s of splits) p.y[s] = p.op.length;
      return;
    }
  }
}

/** Compiles a pattern of the safe subset; throws RegexSyntaxError or RangeError. Search is unanchored, like RegExp#test. */
export function compileSafeRegex(pattern: string, caseInsensitive: boolean): SafeRegex {
  const p = new Program();
  gen(p, parseRegex(pattern, caseInsensitive));
  p.emit(MATCH);
  const n = p.op.length;
  const { op, x, y, sets } = p;
  const mark = new Uint32Array(n);
  let generation = 0;
  const nextGeneration = (): void => {
    generation = (generation + 1) >>> 0;
    if (generation === 0) {
      mark.fill(0);
      generation = 1;
    }
  };
  let clist = new Int32Array(n);
  let nlist = new Int32Array(n);
  const stack = new Int32Array(n * 2 + 2);

  // Adds `pc` and its epsilon closure at position `pos`; returns true when MATCH is reachable.
  let steps = 0;
  function add(list: Int32Array, len: number, pc: number, pos: number, inputLen: number): number {
    let sp = 0;
    stack[sp++] = pc;
    while (sp > 0) {
      const s = stack[--sp] as number;
      steps++;
      if (mark[s] === generation) continue;
      mark[s] = generation;
      switch (op[s]) {
        case SPLIT:
          stack[sp++] = y[s] as number;
          stack[sp++] = x[s] as number;
          break;
        case JMP:
          stack[sp++] = x[s] as number;
          break;
        case BOL:
          if (pos === 0) stack[sp++] = x[s] as number;
          break;
        case EOL:
          if (pos === inputLen) stack[sp++] = x[s] as number;
          break;
        case MATCH:
          return -1;
        default:
          list[len++] = s;
      }
    }
    return len;
  }

  // Whether a new attempt can start strictly inside the input. When it cannot (a pattern that
  // starts with ^) and no attempt is alive, the rest of the input cannot matter; only an attempt
  // at the very end could still match (through $).
  nextGeneration();
  const restartsInside = add(clist, 0, 0, 1, 2) !== 0;

  // Null when the decision's budget (in steps) ran out first.
  function run(input: string, budget: number): boolean | null {
    const len = input.length;
    steps = TEST_OVERHEAD_STEPS;
    nextGeneration();
    let clen = add(clist, 0, 0, 0, len);
    if (clen < 0) return true;
    for (let pos = 0; pos < len; pos++) {
      if (steps > budget) return null;
      if (clen === 0 && !restartsInside) {
        nextGeneration();
        return add(nlist, 0, 0, len, len) < 0;
      }
      const c = input.charCodeAt(pos);
      nextGeneration();
      let nlen = 0;
      for (let k = 0; k < clen; k++) {
        const s = clist[k] as number;
        if (accepts(sets[s] as CharTest, c)) {
          nlen = add(nlist, nlen, x[s] as number, pos + 1, len);
          if (nlen < 0) return true;
        }
      }
      // Unanchored search: a new attempt may start at every position.
      nlen = add(nlist, nlen, 0, pos + 1, len);
      if (nlen < 0) return true;
      const tmp = clist;
      clist = nlist;
      nlist = tmp;
      clen = nlen;
    }
    return false;
  }

  return {
    size: n,
    test(input: string): boolean {
      if (input.length > MAX_INPUT_LENGTH) return false;
      const budget = decisionWork.left / REGEX_STEP_WORK;
      const result = budget <= 0 ? null : run(input, budget);
      if (result === null) {
        // Out of budget part-way: this test does not match, nor does anything after it.
        decisionWork.exhaust();
        return false;
      }
      decisionWork.spend(steps * REGEX_STEP_WORK);
      return result;
    },
  };
}
