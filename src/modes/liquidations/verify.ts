/**
 * @module modes/liquidations/verify — listed symbols must be futures symbols of each venue watched.
 */
import type { ConfigProblem } from '../../config/errors.js';
import type { MonitorConfig } from '../../config/model.js';
import { unlistedSymbols } from '../../config/unlisted-symbols.js';
import type { SymbolInfo } from '../../exchange/index.js';
import type { LiquidationSettings } from './settings.js';

export function futuresVenuesOf(monitor: MonitorConfig<LiquidationSettings>, feedVenues: readonly string[]): string[] {
  return monitor.settings.symbols === null ? [] : [...(monitor.settings.venues ?? feedVenues)];
}

export function unknownSymbols(
  monitor: MonitorConfig<LiquidationSettings>,
  listings: ReadonlyMap<string, readonly SymbolInfo[]>,
  feedVenues: readonly string[],
): ConfigProblem[] {
  const { symbols, symbolRefs } = monitor.settings;
  if (symbols === null) return [];
  const problems: ConfigProblem[] = [];
  for (const venue of futuresVenuesOf(monitor, feedVenues)) {
    const listing = listings.get(venue);
    if (listing !== undefined) problems.push(...unlistedSymbols(symbols, symbolRefs, listing, `${venue}'s futures market`));
  }
  return problems;
}
