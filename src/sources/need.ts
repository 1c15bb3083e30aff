/**
 * @module sources/need — something a round reads once and shares between monitors.
 */

/** A read of the exchange (or of history) for one round; the same key is fetched once per round. */
export interface Need<T> {
  readonly key: string;
  /** True when failing means the exchange itself is unhealthy (readiness), not one account. */
  readonly exchangeWide?: boolean;
  /**
   * True for a read of one account on the exchange: reaching it tells readiness the exchange
   * answers, and only failures of the exchange itself (unreachable, 5xx, bans, rate limits)
   * — not a refused key — count against it.
   */
  readonly readsExchange?: boolean;
  /** The value as of `at` (ms): now for the live exchange, the past for a replay. */
  fetch(at: number): Promise<T>;
  /**
   * The value as of `at` when it is known without waiting (a replay's history, a value read
   * once), or undefined. Lets a replayed slot skip the round trip through the event loop; a
   * live source leaves it out.
   */
  known?(at: number): T | undefined;
}
