/**
 * @module streams/liquidations/recent-ids — the ids seen lately, bounded, to drop duplicates
 * (a frame repeated after a reconnect, or received on both connections during a lifetime
 * switch) before they reach the store. The store's unique id is the final word.
 *
 * Two generations instead of evicting one id at a time: deleting the oldest entry of a big
 * Set makes each later "oldest" lookup walk past the holes, which grows without bound.
 */
export class RecentIds {
  private current = new Set<string>();
  private previous = new Set<string>();

  /** Remembers at least the last `capacity / 2` ids, at most `capacity`. */
  constructor(private readonly capacity = 200_000) {}

  /** True when `id` is new (and remembers it); false for a duplicate. */
  admit(id: string): boolean {
    if (this.current.has(id) || this.previous.has(id)) return false;
    this.current.add(id);
    if (this.current.size >= this.capacity / 2) {
      this.previous = this.current;
      this.current = new Set();
    }
    return true;
  }
}
