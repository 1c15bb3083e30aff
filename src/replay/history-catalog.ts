/**
 * @module replay/history-catalog — what a replayed round reads: prices and the 24 h baseline
 * from the price history, today's balances (read once), and nothing without a history.
 */
import type { Balance, Credentials } from '../exchange/index.js';
import { PriceSnapshot, pricesNeed, type Baseline, type ListedSymbols, type Need, type SourceCatalog } from '../sources/index.js';
import { MockAccountSource, SignedAccountSource } from '../sources/account.js';
import type { AsterClient } from '../exchange/index.js';
import type { PriceHistory } from './price-history.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const NO_PRICES: ReadonlyMap<string, number> = new Map();

/** A round's prices at `at`, read from the history (symbols asked for are noted, for discovery). */
class HistorySnapshot extends PriceSnapshot {
  constructor(
    at: number,
    private readonly history: PriceHistory,
    private readonly asked: Set<string>,
  ) {
    super(at, NO_PRICES);
  }

  override price(symbol: string): number | undefined {
    this.asked.add(symbol);
    return this.history.closeAt(symbol, this.takenAt);
  }

  override problem(): undefined {
    return undefined;
  }
}

/** The same need once for the whole replay: today's value of something without history (balances). */
function once<T>(need: Need<T>): Need<T> {
  let value: Promise<T> | null = null;
  let settled: T | undefined;
  return {
    key: need.key,
    fetch: (at) =>
      (value ??= need.fetch(at).then((v) => {
        settled = v;
        return v;
      })),
    known: () => settled,
  };
}

export interface HistoryCatalog extends SourceCatalog {
  /** Every symbol a check asked a price of. */
  readonly asked: ReadonlySet<string>;
}

export function historyCatalog(client: AsterClient, history: PriceHistory, listed: Need<ListedSymbols>): HistoryCatalog {
  const asked = new Set<string>();
  const accounts = new Map<string, Need<Balance[]>>();
  const noHistory = (what: string) => () => {
    throw new Error(`${what} has no history on the exchange: it cannot be replayed`);
  };
  return {
    asked,
    prices: { ...pricesNeed({ snapshot: async (at) => new HistorySnapshot(at, history, asked) }), known: (at) => new HistorySnapshot(at, history, asked) },
    listedSymbols: once(listed),
    spotAccount: (credentials: Credentials) => {
      const need = new SignedAccountSource(client, credentials);
      if (!accounts.has(need.key)) accounts.set(need.key, once(need));
      return accounts.get(need.key)!;
    },
    mockAccount: (owner, data) => once(new MockAccountSource(owner, data)),
    futuresAccount: noHistory('a futures account'),
    positions: noHistory('positions'),
  };
}

/** The 24 h baseline of a replayed round: the close 24 hours before, from the history (no waiting). */
export function historyBaseline(history: PriceHistory): (symbols: Iterable<string>, at: number) => Baseline {
  return (symbols, at) => {
    const openPrices = new Map<string, number>();
    const missing: string[] = [];
    for (const symbol of symbols) {
      const price = history.closeAt(symbol, at - DAY_MS);
      if (price === undefined) missing.push(symbol);
      else openPrices.set(symbol, price);
    }
    return { openPrices, missing };
  };
}
