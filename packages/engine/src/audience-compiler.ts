import type { ValueTest } from './condition-tests.js';
import { EvaluationPlanner } from './evaluation-order.js';
import { AudienceCode, OPCODES } from './program.js';
import { compileRule, ruleValueTest } from './rule-tree-compile.js';
import type { SlotTable } from './slot-table.js';
import type { AttributeCatalog, Matcher, Rule, RuleCombination } from './types.js';

type Opt = Record<string, unknown>;

const { CALL, CONTAINS_CI, CONTAINS_CS, END_FALSE, END_TRUE, ENDS_CI, ENDS_CS, EQ_CI, EQ_CS, FALSE, HAS_VALUE, IN_CI, IN_CI_SET, IN_CS, IN_CS_SET, IS_FALSE, IS_TRUE, NUM_BETWEEN, NUM_EQ, NUM_GT, NUM_LT, SCAN_MAX, STARTS_CI, STARTS_CS, TEST } = OPCODES;

/**
 * @internal Compiles audience definitions into AudienceCode over one slot table: custom
 * attributes get the table's slots, so that every audience of a snapshot reads each at most
 * once per decide() call. One per build: its planner orders each group once for the build.
 */
export class AudienceCompiler {
  /** Orders each group's children once per build; also estimates audiences for decide(). */
  readonly planner = new EvaluationPlanner();
  private ops: number[] = [];
  private strs: string[] = [];
  private nums: number[] = [];
  private sets: Array<ReadonlySet<string>> = [];
  private lists: string[][] = [];
  private calls: Matcher[] = [];
  private tests: ValueTest[] = [];
  private attributes: string[] = [];

  constructor(
    private readonly table: SlotTable,
    private readonly catalog: AttributeCatalog,
  ) {}

  compile(definition: RuleCombination): AudienceCode {
    this.ops = [];
    this.strs = [];
    this.nums = [];
    this.sets = [];
    this.lists = [];
    this.calls = [];
    this.tests = [];
    this.attributes = [];
    this.labels.length = 0;
    this.patches.length = 0;
    this.node(definition, END_TRUE, END_FALSE);
    for (let k = 0; k < this.patches.length; k += 2) {
      const at = this.patches[k] as number;
      this.ops[at] = this.labels[this.patches[k + 1] as number] as number;
    }
    return new AudienceCode(this.ops, this.strs, this.nums, this.lists, this.sets, this.calls, this.tests, this.attributes);
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
    if (ref.__type === 'CustomAttributeReference' && !this.attributes.includes(ref.ref)) this.attributes.push(ref.ref);
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
      default:
        this.tests.push(ruleValueTest(rule));
        this.emit(TEST, i, this.tests.length - 1, inv, t, f);
    }
  }
}
