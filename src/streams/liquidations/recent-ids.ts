/**
 * @module streams/liquidations/recent-ids — the ids seen lately, bounded, to drop duplicates
 * (a frame repeated after a reconnect, or received on both connections during a lifetime
 * switch) before they reach the store. The store's unique id is the final word.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 100_000) {}

  /** True when `id` is new (and remembers it); false for a duplicate. */
  admit(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    // A Set iterates in insertion order: the first is the oldest.
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}
