import type { VisitorContext } from './types.js';
import { toBoolean, toNumber, toText } from './values.js';

function grow32(a: Uint32Array, n: number): Uint32Array {
  const b = new Uint32Array(n);
  b.set(a);
  return b;
}

/**
 * Per-decision cache of custom attribute values, shared by all audiences of a snapshot. Visitor
 * attribute objects come from JSON with varying key sets, so reading them by key is a slow
 * dictionary lookup; one snapshot reads each key at most once per decide() call instead of once
 * per rule. The coerced forms the conditions test (text and its lower-case copy, number,
 * boolean) are also derived at most once per call, on first use. decide() calls begin() first,
 * which invalidates every cached value.
 */
export class SlotTable {
  private readonly index = new Map<string, number>();
  private keys: string[] = [];
  values: unknown[] = [];
  stamp: Uint32Array = new Uint32Array(0);
  /** toText of the value, and its lower-case copy (null when missing). */
  text: Array<string | null> = [];
  lower: Array<string | null> = [];
  private textStamp: Uint32Array = new Uint32Array(0);
  /** toNumber of the value (NaN when not a number). */
  num = new Float64Array(0);
  private numStamp: Uint32Array = new Uint32Array(0);
  /** toBoolean of the value: 1 true, 0 false, -1 neither. */
  bool = new Int8Array(0);
  private boolStamp: Uint32Array = new Uint32Array(0);
  generation = 0;

  /** The slot of an attribute key, allocating it at compile time. */
  slot(key: string): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.index.size;
      this.index.set(key, i);
      this.keys.push(key);
      this.values.push(undefined);
      this.text.push(null);
      this.lower.push(null);
      const n = i + 1;
      this.stamp = grow32(this.stamp, n);
      this.textStamp = grow32(this.textStamp, n);
      this.numStamp = grow32(this.numStamp, n);
      this.boolStamp = grow32(this.boolStamp, n);
      const num = new Float64Array(n);
      num.set(this.num);
      this.num = num;
      const bool = new Int8Array(n);
      bool.set(this.bool);
      this.bool = bool;
    }
    return i;
  }

  /** Slots allocated so far. */
  get size(): number {
    return this.keys.length;
  }

  /** The attribute key slot i reads. */
  keyOf(i: number): string {
    return this.keys[i] as string;
  }

  /** Starts a new visitor: cached values become stale. */
  begin(): void {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0);
      this.textStamp.fill(0);
      this.numStamp.fill(0);
      this.boolStamp.fill(0);
      this.generation = 1;
    }
  }

  /** The raw value of slot i for this call. */
  raw(i: number, v: VisitorContext): unknown {
    if (this.stamp[i] === this.generation) return this.values[i];
    const x = v.attributes[this.keys[i] as string];
    this.values[i] = x;
    this.stamp[i] = this.generation;
    return x;
  }

  /** toText of slot i; also fills lower[i]. */
  textOf(i: number, v: VisitorContext): string | null {
    if (this.textStamp[i] === this.generation) return this.text[i] as string | null;
    const s = toText(this.raw(i, v));
    this.text[i] = s;
    this.lower[i] = s === null ? null : s.toLowerCase();
    this.textStamp[i] = this.generation;
    return s;
  }

  /** toNumber of slot i. */
  numOf(i: number, v: VisitorContext): number {
    if (this.numStamp[i] === this.generation) return this.num[i] as number;
    const n = toNumber(this.raw(i, v));
    this.num[i] = n;
    this.numStamp[i] = this.generation;
    return n;
  }

  /** toBoolean of slot i as 1 / 0 / -1. */
  boolOf(i: number, v: VisitorContext): number {
    if (this.boolStamp[i] === this.generation) return this.bool[i] as number;
    const b = toBoolean(this.raw(i, v));
    const r = b === true ? 1 : b === false ? 0 : -1;
    this.bool[i] = r;
    this.boolStamp[i] = this.generation;
    return r;
  }
}
