/**
 * @module modes/positions/verify — listed symbols must be symbols of Aster's futures market.
 */
import type { ConfigProblem } from '../../config/errors.js';
import type { MonitorConfig } from '../../config/model.js';
import { unlistedSymbols } from '../../config/unlisted-symbols.js';
import type { SymbolInfo } from '../../exchange/index.js';
import type { PositionsSettings } from './settings.js';

export function positionsVenues(monitor: MonitorConfig<PositionsSettings>): string[] {
  return monitor.settings.symbols === null ? [] : ['aster'];
}

export function unknownPositionSymbols(monitor: MonitorConfig<PositionsSettings>, listings: ReadonlyMap<string, readonly SymbolInfo[]>): ConfigProblem[] {
  const { symbols, symbolRefs } = monitor.settings;
  const listing = listings.get('aster');
  if (symbols === null || listing === undefined) return [];
  return unlistedSymbols(symbols, symbolRefs, listing, "Aster's futures market");
}
