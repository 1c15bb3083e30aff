/**
 * @module sources/listed-symbols — which symbols the exchange lists (exchangeInfo), kept for an hour.
 *
 * A portfolio must tell "this asset has no USDT pair" (leave it out of the value) from
 * "its pair exists but this round's ticker lacks it" (do not value the portfolio at all:
 * a missing price is not a zero). exchangeInfo says which; it changes rarely, so one
 * request an hour serves every round. When it cannot be read the directory is unknown.
 */
import { fetchExchangeInfo, type AsterClient, type ExchangeInfo } from '../exchange/index.js';
import type { Need } from './need.js';

export interface ListedSymbols {
  /** False when exchangeInfo has not been read: then nothing is known to be listed. */
  readonly known: boolean;
  listed(symbol: string): boolean;
}

export const UNKNOWN_SYMBOLS: ListedSymbols = { known: false, listed: () => false };

const REFRESH_MS = 60 * 60 * 1000;

/** exchangeInfo, fetched at most once an hour and shared (start-up verification reads it too). */
export class ExchangeInfoCache {
  private info: ExchangeInfo | null = null;
  private fetchedAt = -Infinity;
  private inFlight: Promise<ExchangeInfo> | null = null;

  constructor(
    private readonly client: AsterClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** A fresh exchangeInfo (fetches when the cached one is older than an hour); throws when it cannot be read. */
  get(): Promise<ExchangeInfo> {
    if (this.info !== null && this.now() - this.fetchedAt < REFRESH_MS) return Promise.resolve(this.info);
    this.inFlight ??= fetchExchangeInfo(this.client)
      .then((info) => {
        this.info = info;
        this.fetchedAt = this.now();
        return info;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  /** What is known now: the last exchangeInfo read, even if a refresh fails. */
  async listed(): Promise<ListedSymbols> {
    try {
      await this.get();
    } catch {
      // Keep the last one read, or unknown.
    }
    if (this.info === null) return UNKNOWN_SYMBOLS;
    const symbols = new Set(this.info.symbols.map((s) => s.symbol));
    return { known: true, listed: (symbol) => symbols.has(symbol) };
  }
}

/** The directory as a round's need: never fails (unknown instead). */
export function listedSymbolsNeed(cache: ExchangeInfoCache): Need<ListedSymbols> {
  return { key: 'listed-symbols', fetch: () => cache.listed() };
}
