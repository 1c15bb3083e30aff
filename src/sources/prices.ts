/**
 * @module sources/prices — one all-symbols ticker request per round, shared by every monitor.
 */
import { fetchPriceTable, type AsterClient } from '../exchange/index.js';
import type { Need } from './need.js';

/** Every symbol's last price at one moment. Immutable once taken. */
export class PriceSnapshot {
  constructor(
    readonly takenAt: number,
    private readonly prices: ReadonlyMap<string, number>,
    private readonly problems: ReadonlyMap<string, Error> = new Map(),
  ) {}

  /** The symbol's price, or undefined when the ticker did not list it (or listed it impossibly: see problem()). */
  price(symbol: string): number | undefined {
    return this.prices.get(symbol);
  }

  /** Why the ticker's row of the symbol could not be used (a malformed response naming the field), or undefined. */
  problem(symbol: string): Error | undefined {
    return this.problems.get(symbol);
  }
}

/** Where a round's prices come from, for the time it answers for. */
export interface PriceSource {
  snapshot(at: number): Promise<PriceSnapshot>;
}

/**
 * Live prices: `GET /api/v1/ticker/price` without symbol (weight 2), whatever the number
 * of monitors. The live exchange only answers for now, so `at` is not sent. Rounds that
 * run at the same time (catch-up at start, where monitors of different intervals have
 * different slots) share the request in flight.
 */
export class TickerPriceSource implements PriceSource {
  private inFlight: Promise<PriceSnapshot> | null = null;

  constructor(
    private readonly client: AsterClient,
    private readonly now: () => number = Date.now,
  ) {}

  snapshot(_at?: number): Promise<PriceSnapshot> {
    this.inFlight ??= fetchPriceTable(this.client)
      .then((table) => new PriceSnapshot(this.now(), table.prices, table.problems))
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }
}

/** The round's prices as a need: every monitor that reads prices shares one snapshot. */
export function pricesNeed(source: PriceSource): Need<PriceSnapshot> {
  return { key: 'prices', exchangeWide: true, fetch: (at) => source.snapshot(at) };
}
