/**
 * @module sources/catalog — what a polled mode can read, without knowing where it comes from.
 *
 * The live catalog reads the exchange; a replay hands modes a catalog backed by history.
 * A mode asks the catalog for needs once, when its monitors are bound.
 */
import type { AsterClient, Balance, Credentials } from '../exchange/index.js';
import { MockAccountSource, SignedAccountSource } from './account.js';
import { ExchangeInfoCache, listedSymbolsNeed, type ListedSymbols } from './listed-symbols.js';
import type { Need } from './need.js';
import { pricesNeed, type PriceSnapshot, type PriceSource } from './prices.js';

export interface SourceCatalog {
  /** Every symbol's price this round. */
  readonly prices: Need<PriceSnapshot>;
  /** Which symbols the exchange lists (never fails: unknown when exchangeInfo cannot be read). */
  readonly listedSymbols: Need<ListedSymbols>;
  /** A spot account's balances (signed). */
  spotAccount(credentials: Credentials): Need<Balance[]>;
  /** Fixed balances from configuration (`mock_account_data`). */
  mockAccount(owner: string, data: unknown): Need<Balance[]>;
}

/** The catalog backed by the live exchange. */
export function liveCatalog(client: AsterClient, prices: PriceSource, exchangeInfo: ExchangeInfoCache = new ExchangeInfoCache(client)): SourceCatalog {
  const shared = pricesNeed(prices);
  return {
    prices: shared,
    listedSymbols: listedSymbolsNeed(exchangeInfo),
    spotAccount: (credentials) => new SignedAccountSource(client, credentials),
    mockAccount: (owner, data) => new MockAccountSource(owner, data),
  };
}
