/**
 * @module modes/liquidations/verify — listed symbols must be futures symbols of each venue watched.
 */
import type { ConfigProblem } from '../../config/errors.js';
import type { MonitorConfig } from '../../config/model.js';
import { closest } from '../../config/suggest.js';
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
    if (listing === undefined) continue;
    const known = listing.map((s) => s.symbol);
    const set = new Set(known);
    symbols.forEach((symbol, i) => {
      if (set.has(symbol)) return;
      const ref = symbolRefs[i]!;
      const suggestion = closest(symbol, known);
      problems.push({
        file: ref.file,
        line: ref.line,
        column: ref.column,
        path: ref.path,
        message: `unknown symbol ${symbol}: ${venue}'s futures market does not list it${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`,
      });
    });
  }
  return problems;
}
