/**
 * The work one decision may spend (ADR 0080). A manifest's cost is otherwise the sum over its
 * rules of what each reads: a regex's program size × the value's length, a substring search's
 * text, a time zone conversion. Limits on each factor alone do not bound that sum, so every
 * decision draws on one budget, counted in units of about a nanosecond of the reference machine's
 * CPU at the costliest rate measured (bench `edge-cost`). Once it is spent, every rule evaluated
 * from then on, the one that spent it included, counts as not matching whatever its inversion:
 * audiences only lose members, never gain them, and the same request always gets the same answer.
 * Evaluation is synchronous, so one process-wide meter serves every decision in turn.
 */

/** Units per decision: about 2 ms of CPU at the costliest rate measured on the 2-core reference machine. */
export const WORK_PER_DECISION = 1_500_000;

// What each kind of work is charged, from its costliest case measured (bench `edge-cost`, probes
// in ADR 0080): long values of equal length and shared prefixes, classes of hundreds of ranges.
/** Any rule: dispatch, reading the value, comparing short values. */
export const RULE_WORK = 32;
/** On top, a rule run as a closure (presets; regex, JSON, time and semver conditions): 50–300 ns. */
export const CALL_WORK = 160;
/** Per character a substring search scans (a 1,000-character needle in 2 KB of text: 2.3 ns). */
export const SEARCH_WORK_PER_CHAR = 2;
/** Per NFA state visited (16–22 ns at worst: a split, or a binary search of a wide class). */
export const REGEX_STEP_WORK = 20;
/** Per character of a URL split into query parameters for JSON_MATCH (decoding, lower-casing: up to 90 ns). */
export const QUERY_PARSE_WORK_PER_CHAR = 96;
/** One time zone conversion (an Intl formatToParts call, 7–18 µs), memoized per decision. */
export const TIME_ZONE_WORK = 16_000;
/** Parsing a date attribute value (about 1–2 µs), memoized per decision. */
export const DATE_PARSE_WORK = 2_000;

class DecisionWork {
  /** Units left; +Infinity outside a decision. */
  left = Number.POSITIVE_INFINITY;
  /** Changes at every begin(): per-decision memos compare it to forget the previous visitor. */
  epoch = 0;
  /** Decisions that ran out since start (a project near its limits, for operators and benchmarks). */
  exhaustedDecisions = 0;
  /** Units the last decision spent. */
  lastSpent = 0;
  private budget = WORK_PER_DECISION;
  private opened = 0;

  /** Opens a decision's budget; `units` is for tests and benchmarks. */
  begin(units: number = this.budget): void {
    this.left = units;
    this.opened = units;
    this.epoch = (this.epoch + 1) | 0;
  }

  /** Outside a decision (explanations of single audiences, previews of one rule) work is unbounded. */
  end(): void {
    if (this.left <= 0) this.exhaustedDecisions += 1;
    this.lastSpent = this.opened - Math.max(this.left, 0);
    this.left = Number.POSITIVE_INFINITY;
  }

  /** Sets the budget of later decisions (tests; benchmarks compare with and without one). */
  setBudget(units: number = WORK_PER_DECISION): void {
    this.budget = units;
  }

  /** Whether the current decision has run out. */
  get exhausted(): boolean {
    return this.left <= 0;
  }

  spend(units: number): void {
    this.left -= units;
  }

  /** Spends what is left: for work cut short before its cost was known. */
  exhaust(): void {
    this.left = Math.min(this.left, 0);
  }
}

/** The process's decision work meter. */
export const decisionWork = new DecisionWork();

/**
 * Results kept for the current decision only, at most `max` of them: what a decision is charged
 * must never depend on the requests before it, or the same request could get another answer.
 */
export class DecisionMemo<K, V> {
  private epoch = -1;
  private readonly entries = new Map<K, V>();
  constructor(private readonly max: number) {}

  private current(): Map<K, V> {
    if (this.epoch !== decisionWork.epoch) {
      this.epoch = decisionWork.epoch;
      this.entries.clear();
    }
    return this.entries;
  }

  get(key: K): V | undefined {
    return this.current().get(key);
  }

  /** Forgets nothing: beyond `max` entries, new results are simply not kept. */
  set(key: K, value: V): void {
    const entries = this.current();
    if (entries.size < this.max) entries.set(key, value);
  }
}

/** One memo per key (a time zone, say), each of them per decision. */
export function memoPer<V, K>(memos: Map<string, DecisionMemo<K, V>>, name: string, max: number): DecisionMemo<K, V> {
  let memo = memos.get(name);
  if (memo === undefined) {
    memo = new DecisionMemo<K, V>(max);
    memos.set(name, memo);
  }
  return memo;
}
