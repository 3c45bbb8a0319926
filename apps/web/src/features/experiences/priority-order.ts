/** Moves the item at `from` to `to`, shifting the ones between (what a drop does). */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= items.length || to >= items.length) return [...items];
  const next = [...items];
  const [moved] = next.splice(from, 1);
  if (moved !== undefined) next.splice(to, 0, moved);
  return next;
}

/** Moves the element with id `activeId` onto the position of `overId`. */
export function moveById<T>(items: readonly T[], idOf: (item: T) => string, activeId: string, overId: string): T[] {
  return moveItem(items, items.findIndex((i) => idOf(i) === activeId), items.findIndex((i) => idOf(i) === overId));
}

export function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((uid, i) => uid === b[i]);
}
