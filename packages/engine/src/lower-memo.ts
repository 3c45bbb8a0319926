/**
 * Lower-cases the strings one attribute takes, remembering the last one. Evaluating many
 * audiences for one visitor reads the same attribute value again and again; the memo turns every
 * lower-casing after the first into one string comparison, and spares the garbage. Keyed by the
 * value itself, so it is always exact, whatever the caller does with its visitor objects.
 */
export class LowerMemo {
  private input = '';
  private output = '';

  lower(s: string): string {
    if (s === this.input) return this.output;
    const l = s.toLowerCase();
    this.input = s;
    this.output = l;
    return l;
  }
}

const shared = new Map<string, LowerMemo>();
/** Past this many attribute names, matchers get a memo of their own rather than grow the registry. */
const SHARED_MAX = 10_000;

/** The memo all compiled rules on attribute `name` share (custom key, or `$PRESET`). */
export function lowerMemoFor(name: string): LowerMemo {
  let m = shared.get(name);
  if (m === undefined) {
    m = new LowerMemo();
    if (shared.size < SHARED_MAX) shared.set(name, m);
  }
  return m;
}

/** True when every code unit is ASCII. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
