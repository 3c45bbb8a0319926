/**
 * Per-decision cache of custom attribute values, shared by all audiences of a snapshot. Visitor
 * attribute objects come from JSON with varying key sets, so reading them by key is a slow
 * dictionary lookup; one snapshot reads each key at most once per decide() call instead of once
 * per rule. decide() calls begin() first, which invalidates every cached value.
 */
export class SlotTable {
  private readonly index = new Map<string, number>();
  values: unknown[] = [];
  stamp = new Uint32Array(0);
  generation = 0;

  /** The slot of an attribute key, allocating it at compile time. */
  slot(key: string): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.index.size;
      this.index.set(key, i);
      this.values.push(undefined);
      const grown = new Uint32Array(i + 1);
      grown.set(this.stamp);
      this.stamp = grown;
    }
    return i;
  }

  /** Starts a new visitor: cached values become stale. */
  begin(): void {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0);
      this.generation = 1;
    }
  }
}
