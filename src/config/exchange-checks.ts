/**
 * @module config/exchange-checks — what only the exchange knows (listed symbols), asked of each mode.
 *
 * Needs the exchange, so it runs after loading (validate, run, check). Each list is fetched
 * once, only when a monitor needs it: the spot exchangeInfo for assets, a venue's futures
 * exchangeInfo for liquidation symbols. A list that cannot be read is not a problem of the
 * configuration: the caller is told, and warns that those symbols were not checked.
 */
import type { SymbolInfo } from '../exchange/index.js';
import { LIQUIDATION_DEFAULTS } from './liquidations.js';
import type { ConfigProblem } from './errors.js';
import type { LoadedConfig } from './model.js';

/** Every problem the modes find against the exchange's (spot) symbol list. */
export function exchangeProblems(config: LoadedConfig, symbols: readonly SymbolInfo[]): ConfigProblem[] {
  return config.monitors.flatMap((monitor) => monitor.plugin.verifyAgainstExchange?.(monitor, symbols) ?? []);
}

/** The name under which earlier versions exported the check (market assets were its only case). */
export const unknownAssetProblems = exchangeProblems;

/** Whether any monitor names symbols only the exchange can confirm. */
export function needsExchangeLists(config: LoadedConfig): boolean {
  const feedVenues = config.liquidations?.venues ?? LIQUIDATION_DEFAULTS.venues;
  return config.monitors.some((m) => m.plugin.verifyAgainstExchange !== undefined || (m.plugin.futuresVenuesOf?.(m, feedVenues).length ?? 0) > 0);
}

export interface ListingFetchers {
  spot(): Promise<readonly SymbolInfo[]>;
  futures(venue: string): Promise<readonly SymbolInfo[]>;
}

export interface ExchangeVerification {
  problems: ConfigProblem[];
  /** Lists that could not be read, with why (e.g. "aster futures exchangeInfo: …"). */
  unchecked: string[];
  /** Why the spot list could not be read, when it could not. */
  spotError: string | null;
  /** Whether any monitor needed a list at all. */
  needed: boolean;
}

/** Checks every monitor against the lists it needs; `isExchangeError` tells a failed fetch from a bug. */
export async function verifyAgainstExchange(
  config: LoadedConfig,
  fetchers: ListingFetchers,
  isExchangeError: (error: unknown) => error is Error,
): Promise<ExchangeVerification> {
  const feedVenues = config.liquidations?.venues ?? LIQUIDATION_DEFAULTS.venues;
  const result: ExchangeVerification = { problems: [], unchecked: [], spotError: null, needed: false };
  if (config.monitors.some((m) => m.plugin.verifyAgainstExchange !== undefined)) {
    result.needed = true;
    try {
      result.problems.push(...exchangeProblems(config, await fetchers.spot()));
    } catch (error) {
      if (!isExchangeError(error)) throw error;
      result.spotError = error.message;
      result.unchecked.push(`spot exchangeInfo: ${error.message}`);
    }
  }
  const venues = new Set(config.monitors.flatMap((m) => m.plugin.futuresVenuesOf?.(m, feedVenues) ?? []));
  const listings = new Map<string, readonly SymbolInfo[]>();
  for (const venue of venues) {
    result.needed = true;
    try {
      listings.set(venue, await fetchers.futures(venue));
    } catch (error) {
      if (!isExchangeError(error)) throw error;
      result.unchecked.push(`${venue} futures exchangeInfo: ${error.message}`);
    }
  }
  if (listings.size > 0) {
    for (const monitor of config.monitors) result.problems.push(...(monitor.plugin.verifyAgainstFutures?.(monitor, listings, feedVenues) ?? []));
  }
  return result;
}
