/**
 * @module sources/catalog — what a polled mode can read, without knowing where it comes from.
 *
 * The live catalog reads the exchange; a replay hands modes a catalog backed by history.
 * A mode asks the catalog for needs once, when its monitors are bound.
 */
import type { AsterClient, Balance, Credentials, Position } from '../exchange/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import type { ReadingStore } from '../store/index.js';
import { MockAccountSource, SignedAccountSource } from './account.js';
import { FuturesAccountSource, FuturesLimits, PositionsSource, type FuturesReading } from './futures.js';
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
  /** A futures account's value, with the value recorded 24 hours before (signed). */
  futuresAccount(credentials: Credentials): Need<FuturesReading>;
  /** A futures account's open positions (signed). */
  positions(credentials: Credentials): Need<Position[]>;
  /** Fixed balances from configuration (`mock_account_data`). */
  mockAccount(owner: string, data: unknown): Need<Balance[]>;
}

/** What the futures part of the live catalog reads from and records to. */
export interface FuturesSide {
  /** The futures market's client (`ASTER_FUTURES_URL`): its own budget, apart from spot's. */
  client: AsterClient;
  /** Where a futures account's values are recorded, for its 24 h baseline. */
  readings: ReadingStore;
  logger?: Logger;
  now?: () => number;
}

/** The catalog backed by the live exchange. Without `futures`, futures needs fail when read. */
export function liveCatalog(
  client: AsterClient,
  prices: PriceSource,
  exchangeInfo: ExchangeInfoCache = new ExchangeInfoCache(client),
  futures?: FuturesSide,
): SourceCatalog {
  const shared = pricesNeed(prices);
  const limits = futures === undefined ? null : new FuturesLimits(futures.client, futures.logger ?? silentLogger(), futures.now);
  const futuresPart = () => {
    if (futures === undefined || limits === null) throw new Error('this catalog has no futures market');
    return { ...futures, limits };
  };
  return {
    prices: shared,
    listedSymbols: listedSymbolsNeed(exchangeInfo),
    spotAccount: (credentials) => new SignedAccountSource(client, credentials),
    futuresAccount: (credentials) => {
      const side = futuresPart();
      return new FuturesAccountSource(side.client, side.limits, side.readings, credentials);
    },
    positions: (credentials) => {
      const side = futuresPart();
      return new PositionsSource(side.client, side.limits, credentials);
    },
    mockAccount: (owner, data) => new MockAccountSource(owner, data),
  };
}
