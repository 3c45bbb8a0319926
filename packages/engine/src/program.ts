import { CALL_WORK, decisionWork, RULE_WORK, SEARCH_WORK_PER_CHAR } from './decision-work.js';
import { EvaluationPlanner } from './evaluation-order.js';
import { compileRule, ruleValueTest } from './rule-tree-compile.js';
import type { SlotTable } from './slot-table.js';
import type { AttributeCatalog, Matcher, Rule, RuleCombination, VisitorContext } from './types.js';
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
/** Lists up to this long are scanned; longer ones are hashed. */
const SCAN_MAX = 8;

type Opt = Record<string, unknown>;

/** Characters a prefix or suffix test compares: none when the value is missing or shorter. */
function compared(s: string | null, constant: string): number {
  return s !== null && s.length >= constant.length ? constant.length : 0;
}

/**
 * @internal Every audience of a snapshot compiled into one flat instruction array, run by a single
 * interpreter loop: no closure call per rule or group, and custom attributes are read (and coerced
 * to text, lower-case text, number or boolean) at most once per decide() call through the shared
 * SlotTable. AND/OR groups short-circuit with jumps. Rules the loop has no instruction for
 * (presets, regexes, semver, dates...) run their compiled closure. Results are exactly those of
 * compileDefinition.
 */
export class SnapshotProgram {
  private ops: number[] = [];
  private code: Int32Array = new Int32Array(0);
  private readonly starts: number[] = [];
  private readonly strs: string[] = [];
  private readonly nums: number[] = [];
  private readonly sets: Array<ReadonlySet<string>> = [];
  private readonly lists: string[][] = [];
  private readonly calls: Matcher[] = [];
  /** Orders each group's children once for the whole snapshot; also estimates audiences for decide(). */
  readonly planner = new EvaluationPlanner();

  constructor(
    private readonly table: SlotTable,
    private readonly catalog: AttributeCatalog,
  ) {}

  /** Compiles one audience definition; returns its index for run(). */
  add(definition: RuleCombination): number {
    this.starts.push(this.ops.length);
    this.labels.length = 0;
    this.patches.length = 0;
    this.node(definition, END_TRUE, END_FALSE);
    for (let k = 0; k < this.patches.length; k += 2) {
      const at = this.patches[k] as number;
      this.ops[at] = this.labels[this.patches[k + 1] as number] as number;
    }
    return this.starts.length - 1;
  }

  /** Freezes the instructions; call after the last add(). */
  finish(): void {
    this.code = Int32Array.from(this.ops);
  }

  /** Targets >= 0 are labels of the audience being compiled, patched once bound. */
  private readonly labels: number[] = [];
  private readonly patches: number[] = [];

  private label(): number {
    this.labels.push(-3);
    return this.labels.length - 1;
  }

  private target(at: number, t: number): void {
    if (t < 0) this.ops[at] = t;
    else this.patches.push(at, t);
  }

  private emit(op: number, slot: number, x: number, inv: boolean, t: number, f: number): void {
    const at = this.ops.length;
    this.ops.push(op, slot, x, inv ? 1 : 0, 0, 0);
    this.target(at + 4, t);
    this.target(at + 5, f);
  }

  /** Emits `n` so that it continues at `t` when true and `f` when false. */
  private node(n: Rule | RuleCombination, t: number, f: number): void {
    if (n.__type === 'Rule') {
      this.rule(n, t, f);
      return;
    }
    const count = n.rules.length;
    if (count === 0) {
      this.emit(FALSE, 0, 0, false, t, f);
      return;
    }
    const and = n.combinationType === 'AND';
    const rules = this.planner.order(n);
    for (let k = 0; k < count; k++) {
      const child = rules[k] as Rule | RuleCombination;
      if (k === count - 1) {
        this.node(child, t, f);
        break;
      }
      const next = this.label();
      if (and) this.node(child, next, f);
      else this.node(child, t, next);
      this.labels[next] = this.ops.length;
    }
  }

  private str(s: string): number {
    this.strs.push(s);
    return this.strs.length - 1;
  }

  private rule(rule: Rule, t: number, f: number): void {
    const ref = rule.attribute;
    const entry = ref.__type === 'CustomAttributeReference' ? this.catalog.customAttributes.get(ref.ref) : undefined;
    if (entry === undefined) {
      this.calls.push(compileRule(rule, this.catalog));
      this.emit(CALL, 0, this.calls.length - 1, false, t, f);
      return;
    }
    const i = this.table.slot(entry.key);
    const inv = rule.invertCondition;
    const o = (rule.attributeMatchOptions ?? {}) as unknown as Opt;
    const cs = o.caseSensitive === true;
    const fold = (s: string): string => (cs ? s : s.toLowerCase());
    switch (rule.attributeMatchCondition) {
      case 'STRING_EQUALS':
        this.emit(cs ? EQ_CS : EQ_CI, i, this.str(fold(o.value as string)), inv, t, f);
        return;
      case 'CONTAINS_SUBSTRING':
        this.emit(cs ? CONTAINS_CS : CONTAINS_CI, i, this.str(fold(o.value as string)), inv, t, f);
        return;
      case 'STRING_STARTS_WITH':
        this.emit(cs ? STARTS_CS : STARTS_CI, i, this.str(fold(o.value as string)), inv, t, f);
        return;
      case 'STRING_ENDS_WITH':
        this.emit(cs ? ENDS_CS : ENDS_CI, i, this.str(fold(o.value as string)), inv, t, f);
        return;
      case 'STRING_IN_LIST':
      {
        const values = (o.values as string[]).map(fold);
        if (values.length <= SCAN_MAX) {
          this.lists.push(values);
          this.emit(cs ? IN_CS : IN_CI, i, this.lists.length - 1, inv, t, f);
        } else {
          this.sets.push(new Set(values));
          this.emit(cs ? IN_CS_SET : IN_CI_SET, i, this.sets.length - 1, inv, t, f);
        }
      }
        return;
      case 'NUMBER_BETWEEN':
        this.nums.push(o.min as number, o.max as number);
        this.emit(NUM_BETWEEN, i, this.nums.length - 2, inv, t, f);
        return;
      case 'NUMBER_GREATER_THAN':
      case 'NUMBER_LESS_THAN':
      case 'NUMBER_EQUAL_TO': {
        const c = rule.attributeMatchCondition;
        this.nums.push(o.value as number);
        this.emit(c === 'NUMBER_GREATER_THAN' ? NUM_GT : c === 'NUMBER_LESS_THAN' ? NUM_LT : NUM_EQ, i, this.nums.length - 1, inv, t, f);
        return;
      }
      case 'IS_TRUE':
        this.emit(IS_TRUE, i, 0, inv, t, f);
        return;
      case 'IS_FALSE':
        this.emit(IS_FALSE, i, 0, inv, t, f);
        return;
      case 'HAS_ANY_VALUE':
        this.emit(HAS_VALUE, i, 0, inv, t, f);
        return;
      default: {
        const test = ruleValueTest(rule);
        const table = this.table;
        this.calls.push((v) => test(table.raw(i, v)) !== inv);
        this.emit(CALL, 0, this.calls.length - 1, false, t, f);
      }
    }
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
            const list = this.lists[x] as string[];
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
          if (s !== null) left -= (s.length * (this.lists[x] as string[]).length) >> 1;
          r = s !== null && (this.lists[x] as string[]).includes(s);
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
