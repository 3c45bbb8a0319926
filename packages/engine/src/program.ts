import type { ValueTest } from './condition-tests.js';
import { CALL_WORK, decisionWork, RULE_WORK, SEARCH_WORK_PER_CHAR } from './decision-work.js';
import type { SlotTable } from './slot-table.js';
import type { Matcher, VisitorContext } from './types.js';
import { isMissing } from './values.js';

// Instructions are 6 int32 wide: [op, slot, constant index, invert, pc if true, pc if false].
// A target of -1 ends the audience with true, -2 with false: AND/OR short-circuit by jumping,
// so groups cost no instruction of their own.
const END_TRUE = -1;
const END_FALSE = -2;
const FALSE = 2;
const CALL = 3; // calls[arg](visitor), inversion included
const EQ_CS = 4;
const EQ_CI = 5;
const IN_CS = 6;
const IN_CI = 7;
const CONTAINS_CS = 8;
const CONTAINS_CI = 9;
const STARTS_CS = 10;
const STARTS_CI = 11;
const ENDS_CS = 12;
const ENDS_CI = 13;
const NUM_BETWEEN = 14;
const NUM_GT = 15;
const NUM_LT = 16;
const NUM_EQ = 17;
const IS_TRUE = 18;
const IS_FALSE = 19;
const HAS_VALUE = 20;
const IN_CS_SET = 21;
const IN_CI_SET = 22;
const TEST = 23; // tests[arg](the slot's raw value)
/** Lists up to this long are scanned; longer ones are hashed. */
const SCAN_MAX = 8;

// The constants array each instruction's index points into: linking audiences into one program
// moves the index along with the array it was compiled against.
const STRS = 1;
const NUMS = 2;
const LISTS = 3;
const SETS = 4;
const CALLS = 5;
const TESTS = 6;
const POOL = new Int8Array(TEST + 1);
for (const op of [EQ_CS, EQ_CI, CONTAINS_CS, CONTAINS_CI, STARTS_CS, STARTS_CI, ENDS_CS, ENDS_CI]) POOL[op] = STRS;
for (const op of [NUM_BETWEEN, NUM_GT, NUM_LT, NUM_EQ]) POOL[op] = NUMS;
POOL[IN_CS] = LISTS;
POOL[IN_CI] = LISTS;
POOL[IN_CS_SET] = SETS;
POOL[IN_CI_SET] = SETS;
POOL[CALL] = CALLS;
POOL[TEST] = TESTS;

/**
 * @internal The opcodes, for the compiler. The interpreter's switch reads them as this module's
 * own constants: exported or imported bindings made decide() about 5 % slower.
 */
export const OPCODES = Object.freeze({ CALL, CONTAINS_CI, CONTAINS_CS, END_FALSE, END_TRUE, ENDS_CI, ENDS_CS, EQ_CI, EQ_CS, FALSE, HAS_VALUE, IN_CI, IN_CI_SET, IN_CS, IN_CS_SET, IS_FALSE, IS_TRUE, NUM_BETWEEN, NUM_EQ, NUM_GT, NUM_LT, SCAN_MAX, STARTS_CI, STARTS_CS, TEST });

/**
 * @internal One audience compiled for the snapshot program: its instructions (jump targets are
 * offsets into `code`) and the constants they index. Immutable, so a snapshot derived from
 * another shares the code of every audience that did not change.
 */
export class AudienceCode {
  constructor(
    readonly code: readonly number[],
    readonly strs: readonly string[],
    readonly nums: readonly number[],
    readonly lists: ReadonlyArray<readonly string[]>,
    readonly sets: ReadonlyArray<ReadonlySet<string>>,
    readonly calls: readonly Matcher[],
    readonly tests: readonly ValueTest[],
    /** Custom attribute uids the rules reference, in the catalog or not: the code holds what their keys were. */
    readonly attributes: readonly string[],
  ) {}

  /** The same audience reading the slots of `to` instead of `from` (slots are matched by attribute key). */
  relink(from: SlotTable, to: SlotTable): AudienceCode {
    const code = [...this.code];
    for (let pc = 0; pc < code.length; pc += 6) {
      const op = code[pc] as number;
      if (op !== FALSE && op !== CALL) code[pc + 1] = to.slot(from.keyOf(code[pc + 1] as number));
    }
    return new AudienceCode(code, this.strs, this.nums, this.lists, this.sets, this.calls, this.tests, this.attributes);
  }
}

function append<T>(to: T[], from: readonly T[]): void {
  for (let k = 0; k < from.length; k++) to.push(from[k] as T);
}

/** Characters a prefix or suffix test compares: none when the value is missing or shorter. */
function compared(s: string | null, constant: string): number {
  return s !== null && s.length >= constant.length ? constant.length : 0;
}

/** Appends audience code to a program's arrays, moving jump targets and constant indexes along. */
class Linker {
  private readonly base = new Int32Array(TESTS + 1);

  constructor(
    readonly code: Int32Array,
    public at: number,
    readonly strs: string[],
    readonly nums: number[],
    readonly lists: Array<readonly string[]>,
    readonly sets: Array<ReadonlySet<string>>,
    readonly calls: Matcher[],
    readonly tests: ValueTest[],
  ) {}

  /** Appends `a`; returns where its code starts. */
  append(a: AudienceCode): number {
    const base = this.base;
    const at = this.at;
    base[STRS] = this.strs.length;
    base[NUMS] = this.nums.length;
    base[LISTS] = this.lists.length;
    base[SETS] = this.sets.length;
    base[CALLS] = this.calls.length;
    base[TESTS] = this.tests.length;
    append(this.strs, a.strs);
    append(this.nums, a.nums);
    append(this.lists, a.lists);
    append(this.sets, a.sets);
    append(this.calls, a.calls);
    append(this.tests, a.tests);
    const c = a.code;
    const code = this.code;
    for (let pc = 0; pc < c.length; pc += 6) {
      const op = c[pc] as number;
      const t = c[pc + 4] as number;
      const f = c[pc + 5] as number;
      code[at + pc] = op;
      code[at + pc + 1] = c[pc + 1] as number;
      code[at + pc + 2] = (c[pc + 2] as number) + (base[POOL[op] as number] as number);
      code[at + pc + 3] = c[pc + 3] as number;
      code[at + pc + 4] = t < 0 ? t : t + at;
      code[at + pc + 5] = f < 0 ? f : f + at;
    }
    this.at = at + c.length;
    return at;
  }
}

/**
 * @internal Every audience of a snapshot linked into one instruction array run by a single
 * interpreter loop: no closure call per rule or group, and custom attributes are read (and
 * coerced to text, lower-case text, number or boolean) at most once per decide() call through
 * the shared SlotTable. AND/OR groups short-circuit with jumps. Rules the loop has no instruction
 * for (presets, regexes, semver, dates...) run their compiled closure. Results are exactly those
 * of compileDefinition. One array rather than each audience's own: reading those made decide()
 * a fifth slower.
 */
export class SnapshotProgram {
  private constructor(
    private readonly table: SlotTable,
    private readonly code: Int32Array,
    private readonly starts: Int32Array,
    private readonly strs: readonly string[],
    private readonly nums: readonly number[],
    private readonly lists: ReadonlyArray<readonly string[]>,
    private readonly sets: ReadonlyArray<ReadonlySet<string>>,
    private readonly calls: readonly Matcher[],
    private readonly tests: readonly ValueTest[],
  ) {}

  /** Links `audiences`, numbered as given, into a program of their own. */
  static link(table: SlotTable, audiences: readonly AudienceCode[]): SnapshotProgram {
    let size = 0;
    for (const a of audiences) size += a.code.length;
    const out = new Linker(new Int32Array(size), 0, [], [], [], [], [], []);
    const starts = new Int32Array(audiences.length);
    for (let k = 0; k < audiences.length; k++) starts[k] = out.append(audiences[k] as AudienceCode);
    return new SnapshotProgram(table, out.code, starts, out.strs, out.nums, out.lists, out.sets, out.calls, out.tests);
  }

  /**
   * The program of `audiences` (numbered as given) made from this one, which stays as it is:
   * `from[i]` is audience i's index here when its code is unchanged, -1 when it is new. Kept code
   * is copied where it was and new code appended, so that an edit costs a copy, not a relink of
   * every audience; the code replaced stays behind, unreachable, until it outweighs the live
   * code and the program is linked afresh.
   */
  derive(table: SlotTable, audiences: readonly AudienceCode[], from: Int32Array): SnapshotProgram {
    let live = 0;
    let added = 0;
    for (let i = 0; i < audiences.length; i++) {
      const n = (audiences[i] as AudienceCode).code.length;
      live += n;
      if ((from[i] as number) < 0) added += n;
    }
    if (table !== this.table || this.code.length + added > 2 * live) return SnapshotProgram.link(table, audiences);
    const code = new Int32Array(this.code.length + added);
    code.set(this.code);
    const out = new Linker(code, this.code.length, this.strs.slice(), this.nums.slice(), this.lists.slice(), this.sets.slice(), this.calls.slice(), this.tests.slice());
    const starts = new Int32Array(audiences.length);
    for (let i = 0; i < audiences.length; i++) {
      const k = from[i] as number;
      starts[i] = k < 0 ? out.append(audiences[i] as AudienceCode) : (this.starts[k] as number);
    }
    return new SnapshotProgram(table, out.code, starts, out.strs, out.nums, out.lists, out.sets, out.calls, out.tests);
  }

  /**
   * Whether audience `a` matches; the table must have been begun for this visitor. Each rule
   * draws on the decision's work budget: its dispatch, plus the characters it scans where that
   * grows with the value (substrings, list scans); CALL rules charge their own work. Once the
   * budget is spent, the rule that spent it and every later one count as not matching.
   */
  run(a: number, v: VisitorContext): boolean {
    const code = this.code;
    const t = this.table;
    const strs = this.strs;
    const nums = this.nums;
    const work = decisionWork;
    let left = work.left;
    let pc = this.starts[a] as number;
    for (;;) {
      if (left <= 0) {
        pc = code[pc + 5] as number;
        if (pc < 0) break;
        continue;
      }
      const op = code[pc] as number;
      const i = code[pc + 1] as number;
      const x = code[pc + 2] as number;
      left -= RULE_WORK;
      let r: boolean;
      switch (op) {
        case EQ_CI: {
          const s = t.textOf(i, v);
          const value = strs[x] as string;
          if (s !== null && s.length === value.length) left -= s.length >> 3;
          r = s !== null && (s === value || t.lower[i] === value);
          break;
        }
        case EQ_CS: {
          const s = t.textOf(i, v);
          const value = strs[x] as string;
          if (s !== null && s.length === value.length) left -= s.length >> 3;
          r = s === value;
          break;
        }
        case IN_CI: {
          const s = t.textOf(i, v);
          r = false;
          if (s !== null) {
            const l = t.lower[i] as string;
            const list = this.lists[x] as readonly string[];
            left -= (s.length * list.length) >> 1;
            for (let k = 0; k < list.length; k++) {
              const w = list[k];
              if (w === s || w === l) {
                r = true;
                break;
              }
            }
          }
          break;
        }
        case IN_CS: {
          const s = t.textOf(i, v);
          if (s !== null) left -= (s.length * (this.lists[x] as readonly string[]).length) >> 1;
          r = s !== null && (this.lists[x] as readonly string[]).includes(s);
          break;
        }
        case IN_CI_SET: {
          const s = t.textOf(i, v);
          if (s === null) r = false;
          else {
            const set = this.sets[x] as ReadonlySet<string>;
            const l = t.lower[i] as string;
            r = set.has(s) || (l !== s && set.has(l));
          }
          break;
        }
        case IN_CS_SET: {
          const s = t.textOf(i, v);
          r = s !== null && (this.sets[x] as ReadonlySet<string>).has(s);
          break;
        }
        case CONTAINS_CI: {
          const s = t.textOf(i, v);
          if (s !== null) left -= s.length * SEARCH_WORK_PER_CHAR;
          r = s !== null && (t.lower[i] as string).includes(strs[x] as string);
          break;
        }
        case CONTAINS_CS: {
          const s = t.textOf(i, v);
          if (s !== null) left -= s.length * SEARCH_WORK_PER_CHAR;
          r = s !== null && s.includes(strs[x] as string);
          break;
        }
        case STARTS_CI: {
          const s = t.textOf(i, v);
          left -= compared(s, strs[x] as string);
          r = s !== null && (t.lower[i] as string).startsWith(strs[x] as string);
          break;
        }
        case STARTS_CS: {
          const s = t.textOf(i, v);
          left -= compared(s, strs[x] as string);
          r = s !== null && s.startsWith(strs[x] as string);
          break;
        }
        case ENDS_CI: {
          const s = t.textOf(i, v);
          left -= compared(s, strs[x] as string);
          r = s !== null && (t.lower[i] as string).endsWith(strs[x] as string);
          break;
        }
        case ENDS_CS: {
          const s = t.textOf(i, v);
          left -= compared(s, strs[x] as string);
          r = s !== null && s.endsWith(strs[x] as string);
          break;
        }
        case NUM_BETWEEN: {
          const n = t.numOf(i, v);
          r = n >= (nums[x] as number) && n <= (nums[x + 1] as number);
          break;
        }
        case NUM_GT:
          r = t.numOf(i, v) > (nums[x] as number);
          break;
        case NUM_LT:
          r = t.numOf(i, v) < (nums[x] as number);
          break;
        case NUM_EQ:
          r = t.numOf(i, v) === nums[x];
          break;
        case IS_TRUE:
          r = t.boolOf(i, v) === 1;
          break;
        case IS_FALSE:
          r = t.boolOf(i, v) === 0;
          break;
        case HAS_VALUE:
          r = !isMissing(t.raw(i, v));
          break;
        case CALL:
          work.left = left - CALL_WORK;
          r = (this.calls[x] as Matcher)(v);
          left = work.left;
          break;
        case TEST:
          work.left = left - CALL_WORK;
          r = (this.tests[x] as ValueTest)(t.raw(i, v));
          left = work.left;
          break;
        default:
          r = false;
      }
      if (code[pc + 3] === 1) r = !r;
      if (left <= 0) r = false;
      pc = r ? (code[pc + 4] as number) : (code[pc + 5] as number);
      if (pc < 0) break;
    }
    work.left = left;
    return pc === END_TRUE;
  }
}
