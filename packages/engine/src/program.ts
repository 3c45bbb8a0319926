import { ruleValueTest, compileRuleMatcher } from './rule-tree-compile.js';
import type { SlotTable } from './slot-table.js';
import type { AttributeCatalog, Matcher, Rule, RuleCombination, VisitorContext } from './types.js';
import { isMissing } from './values.js';

// Instructions are 4 int32 wide: [op, slot or jump target, constant index, invert].
const JF = 0; // jump to [1] when the result is false
const JT = 1; // jump to [1] when the result is true
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

type Opt = Record<string, unknown>;

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
  private readonly ends: number[] = [];
  private readonly strs: string[] = [];
  private readonly nums: number[] = [];
  private readonly sets: Array<ReadonlySet<string>> = [];
  private readonly calls: Matcher[] = [];

  constructor(
    private readonly table: SlotTable,
    private readonly catalog: AttributeCatalog,
  ) {}

  /** Compiles one audience definition; returns its index for run(). */
  add(definition: RuleCombination): number {
    this.starts.push(this.ops.length);
    this.group(definition);
    this.ends.push(this.ops.length);
    return this.starts.length - 1;
  }

  /** Freezes the instructions; call after the last add(). */
  finish(): void {
    this.code = Int32Array.from(this.ops);
  }

  private emit(op: number, a: number, b: number, inv: boolean): number {
    const at = this.ops.length;
    this.ops.push(op, a, b, inv ? 1 : 0);
    return at;
  }

  private group(g: RuleCombination): void {
    const n = g.rules.length;
    if (n === 0) {
      this.emit(FALSE, 0, 0, false);
      return;
    }
    const jump = g.combinationType === 'AND' ? JF : JT;
    const patches: number[] = [];
    for (let k = 0; k < n; k++) {
      const child = g.rules[k] as Rule | RuleCombination;
      if (child.__type === 'RuleCombination') this.group(child);
      else this.rule(child);
      if (k < n - 1) patches.push(this.emit(jump, 0, 0, false));
    }
    const end = this.ops.length;
    for (const p of patches) this.ops[p + 1] = end;
  }

  private str(s: string): number {
    this.strs.push(s);
    return this.strs.length - 1;
  }

  private rule(rule: Rule): void {
    const ref = rule.attribute;
    const entry = ref.__type === 'CustomAttributeReference' ? this.catalog.customAttributes.get(ref.ref) : undefined;
    if (entry === undefined) {
      this.calls.push(compileRuleMatcher(rule, this.catalog, this.table));
      this.emit(CALL, 0, this.calls.length - 1, false);
      return;
    }
    const i = this.table.slot(entry.key);
    const inv = rule.invertCondition;
    const o = (rule.attributeMatchOptions ?? {}) as unknown as Opt;
    const cs = o.caseSensitive === true;
    const fold = (s: string): string => (cs ? s : s.toLowerCase());
    switch (rule.attributeMatchCondition) {
      case 'STRING_EQUALS':
        this.emit(cs ? EQ_CS : EQ_CI, i, this.str(fold(o.value as string)), inv);
        return;
      case 'CONTAINS_SUBSTRING':
        this.emit(cs ? CONTAINS_CS : CONTAINS_CI, i, this.str(fold(o.value as string)), inv);
        return;
      case 'STRING_STARTS_WITH':
        this.emit(cs ? STARTS_CS : STARTS_CI, i, this.str(fold(o.value as string)), inv);
        return;
      case 'STRING_ENDS_WITH':
        this.emit(cs ? ENDS_CS : ENDS_CI, i, this.str(fold(o.value as string)), inv);
        return;
      case 'STRING_IN_LIST':
        this.sets.push(new Set((o.values as string[]).map(fold)));
        this.emit(cs ? IN_CS : IN_CI, i, this.sets.length - 1, inv);
        return;
      case 'NUMBER_BETWEEN':
        this.nums.push(o.min as number, o.max as number);
        this.emit(NUM_BETWEEN, i, this.nums.length - 2, inv);
        return;
      case 'NUMBER_GREATER_THAN':
      case 'NUMBER_LESS_THAN':
      case 'NUMBER_EQUAL_TO': {
        const c = rule.attributeMatchCondition;
        this.nums.push(o.value as number);
        this.emit(c === 'NUMBER_GREATER_THAN' ? NUM_GT : c === 'NUMBER_LESS_THAN' ? NUM_LT : NUM_EQ, i, this.nums.length - 1, inv);
        return;
      }
      case 'IS_TRUE':
        this.emit(IS_TRUE, i, 0, inv);
        return;
      case 'IS_FALSE':
        this.emit(IS_FALSE, i, 0, inv);
        return;
      case 'HAS_ANY_VALUE':
        this.emit(HAS_VALUE, i, 0, inv);
        return;
      default: {
        const test = ruleValueTest(rule);
        const t = this.table;
        this.calls.push((v) => test(t.raw(i, v)) !== inv);
        this.emit(CALL, 0, this.calls.length - 1, false);
      }
    }
  }

  /** Whether audience `a` matches; the table must have been begun for this visitor. */
  run(a: number, v: VisitorContext): boolean {
    const code = this.code;
    const t = this.table;
    const end = this.ends[a] as number;
    let pc = this.starts[a] as number;
    let r = false;
    while (pc < end) {
      const op = code[pc] as number;
      if (op === JF) {
        pc = r ? pc + 4 : (code[pc + 1] as number);
        continue;
      }
      if (op === JT) {
        pc = r ? (code[pc + 1] as number) : pc + 4;
        continue;
      }
      const i = code[pc + 1] as number;
      const x = code[pc + 2] as number;
      switch (op) {
        case EQ_CI: {
          const s = t.textOf(i, v);
          const value = this.strs[x] as string;
          r = s !== null && (s === value || t.lower[i] === value);
          break;
        }
        case EQ_CS:
          r = t.textOf(i, v) === this.strs[x];
          break;
        case IN_CI: {
          const s = t.textOf(i, v);
          if (s === null) r = false;
          else {
            const set = this.sets[x] as ReadonlySet<string>;
            const l = t.lower[i] as string;
            r = set.has(s) || (l !== s && set.has(l));
          }
          break;
        }
        case IN_CS: {
          const s = t.textOf(i, v);
          r = s !== null && (this.sets[x] as ReadonlySet<string>).has(s);
          break;
        }
        case CONTAINS_CI:
          r = t.textOf(i, v) !== null && (t.lower[i] as string).includes(this.strs[x] as string);
          break;
        case CONTAINS_CS: {
          const s = t.textOf(i, v);
          r = s !== null && s.includes(this.strs[x] as string);
          break;
        }
        case STARTS_CI:
          r = t.textOf(i, v) !== null && (t.lower[i] as string).startsWith(this.strs[x] as string);
          break;
        case STARTS_CS: {
          const s = t.textOf(i, v);
          r = s !== null && s.startsWith(this.strs[x] as string);
          break;
        }
        case ENDS_CI:
          r = t.textOf(i, v) !== null && (t.lower[i] as string).endsWith(this.strs[x] as string);
          break;
        case ENDS_CS: {
          const s = t.textOf(i, v);
          r = s !== null && s.endsWith(this.strs[x] as string);
          break;
        }
        case NUM_BETWEEN: {
          const n = t.numOf(i, v);
          r = n >= (this.nums[x] as number) && n <= (this.nums[x + 1] as number);
          break;
        }
        case NUM_GT:
          r = t.numOf(i, v) > (this.nums[x] as number);
          break;
        case NUM_LT:
          r = t.numOf(i, v) < (this.nums[x] as number);
          break;
        case NUM_EQ:
          r = t.numOf(i, v) === this.nums[x];
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
          r = (this.calls[x] as Matcher)(v);
          break;
        default:
          r = false;
      }
      if (code[pc + 3] === 1) r = !r;
      pc += 4;
    }
    return r;
  }
}
