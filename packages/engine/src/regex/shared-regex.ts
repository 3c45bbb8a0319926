import { DecisionMemo, decisionWork } from '../decision-work.js';
import { compileSafeRegex, type SafeRegex } from './nfa.js';

/**
 * One compiled program per distinct (pattern, case) across a process's snapshots, each with a
 * memo of its results for the current decision: a hundred audiences with the same regex rule
 * reading the same value cost one test per decision, not a hundred (ADR 0080). Results of a test
 * that ran out of budget are not memoized, so a memo entry is always the pattern's true answer.
 */
// About 15 MB (73 bytes an instruction): four projects at their regex limit.
const MAX_SHARED_INSTRUCTIONS = 200_000;
const MAX_MEMO_PER_DECISION = 64;
const shared = new Map<string, MemoRegex>();
let sharedInstructions = 0;

class MemoRegex implements SafeRegex {
  private readonly memo = new DecisionMemo<string, boolean>(MAX_MEMO_PER_DECISION);
  constructor(private readonly re: SafeRegex) {}

  get size(): number {
    return this.re.size;
  }

  test(input: string): boolean {
    const known = this.memo.get(input);
    if (known !== undefined) return known;
    const result = this.re.test(input);
    if (!decisionWork.exhausted) this.memo.set(input, result);
    return result;
  }
}

/** The shared matcher of a pattern; throws as compileSafeRegex does. */
export function sharedSafeRegex(pattern: string, caseInsensitive: boolean): SafeRegex {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let found = shared.get(key);
  if (found === undefined) {
    found = new MemoRegex(compileSafeRegex(pattern, caseInsensitive));
    // Bounded by size: the oldest programs are dropped first (snapshots that use them keep theirs).
    while (sharedInstructions + found.size > MAX_SHARED_INSTRUCTIONS && shared.size > 0) {
      const [oldest, program] = shared.entries().next().value as [string, MemoRegex];
      shared.delete(oldest);
      sharedInstructions -= program.size;
    }
    shared.set(key, found);
    sharedInstructions += found.size;
  }
  return found;
}
