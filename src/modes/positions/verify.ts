/**
 * @module modes/positions/verify — listed symbols must be symbols of Aster's futures market.
 */
import type { ConfigProblem } from '../../config/errors.js';
import type { MonitorConfig } from '../../config/model.js';
import { closest } from '../../config/suggest.js';
import type { SymbolInfo } from '../../exchange/index.js';
import type { PositionsSettings } from './settings.js';

export function positionsVenues(monitor: MonitorConfig<PositionsSettings>): string[] {
  return monitor.settings.symbols === null ? [] : ['aster'];
}

export function unknownPositionSymbols(monitor: MonitorConfig<PositionsSettings>, listings: ReadonlyMap<string, readonly SymbolInfo[]>): ConfigProblem[] {
  const { symbols, symbolRefs } = monitor.settings;
  const listing = listings.get('aster');
  if (symbols === null || listing === undefined) return [];
  const known = listing.map((s) => s.symbol);
  const set = new Set(known);
  const problems: ConfigProblem[] = [];
  symbols.forEach((symbol, i) => {
    if (set.has(symbol)) return;
    const ref = symbolRefs[i]!;
    const suggestion = closest(symbol, known);
    problems.push({
      file: ref.file,
      line: ref.line,
      column: ref.column,
      path: ref.path,
      message: `unknown symbol ${symbol}: Aster's futures market does not list it${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`,
    });
  });
  return problems;
}
